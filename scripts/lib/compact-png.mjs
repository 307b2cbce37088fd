/**
 * Screenshots written small and lossless, for baselines kept in git: an indexed-colour PNG (8-bit palette) when
 * the image has at most 256 colours — most UI screenshots do, and it is about a third smaller than RGB — otherwise
 * RGB without alpha; maximum deflate either way. pngjs reads both back to the same RGBA pixels.
 */
import { deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buffer) {
  let c = 0xffffffff;
  for (const byte of buffer) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An 8-bit palette PNG of an opaque RGBA image, or null when it has more than 256 colours. */
function indexed({ width, height, data }) {
  const palette = new Map();
  const rows = Buffer.alloc((width + 1) * height); // each row: filter byte 0 (none), then one index per pixel
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const rgb = data.readUIntBE((y * width + x) * 4, 3);
      let index = palette.get(rgb);
      if (index === undefined) {
        if (palette.size === 256) return null;
        index = palette.size;
        palette.set(rgb, index);
      }
      rows[y * (width + 1) + 1 + x] = index;
    }
  }
  const plte = Buffer.alloc(palette.size * 3);
  for (const [rgb, index] of palette) plte.writeUIntBE(rgb, index * 3, 3);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 3; // colour type: indexed
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('PLTE', plte),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A decoded (pngjs) opaque screenshot as the smallest lossless PNG of the two kinds. */
export function compactPng(png) {
  return indexed(png) ?? PNG.sync.write(png, { colorType: 2, inputHasAlpha: true, deflateLevel: 9 });
}
