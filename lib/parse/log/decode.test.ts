import { describe, expect, it } from "vitest";
import { decodeLog } from "./decode";

function utf16le(s: string, bom: boolean): Uint8Array {
  const out = new Uint8Array((bom ? 2 : 0) + s.length * 2);
  let k = 0;
  if (bom) {
    out[k++] = 0xff;
    out[k++] = 0xfe;
  }
  for (let i = 0; i < s.length; i++) {
    out[k++] = s.charCodeAt(i) & 0xff;
    out[k++] = s.charCodeAt(i) >> 8;
  }
  return out;
}

function utf16be(s: string, bom: boolean): Uint8Array {
  const le = utf16le(s, false);
  const out = new Uint8Array((bom ? 2 : 0) + le.length);
  let k = 0;
  if (bom) {
    out[k++] = 0xfe;
    out[k++] = 0xff;
  }
  for (let i = 0; i < le.length; i += 2) {
    out[k++] = le[i + 1];
    out[k++] = le[i];
  }
  return out;
}

const LOG = '#0 building with "default" instance using docker driver\r\n\r\n#1 [internal] load build definition from Dockerfile\r\n';

describe("decodeLog", () => {
  it("UTF-8 without BOM", () => {
    expect(decodeLog(new TextEncoder().encode("#1 ✓ done\n"))).toEqual({ text: "#1 ✓ done\n", encoding: "utf-8" });
  });

  it("UTF-8 with BOM", () => {
    const b = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("#1 x")]);
    expect(decodeLog(b)).toEqual({ text: "#1 x", encoding: "utf-8" });
  });

  it("UTF-16LE with BOM (PowerShell Tee-Object, corpus 010)", () => {
    expect(decodeLog(utf16le(LOG, true))).toEqual({ text: LOG, encoding: "utf-16le" });
  });

  it("UTF-16BE with BOM", () => {
    expect(decodeLog(utf16be(LOG, true))).toEqual({ text: LOG, encoding: "utf-16be" });
  });

  it("UTF-16LE and BE without BOM, by the NUL pattern", () => {
    expect(decodeLog(utf16le(LOG, false))).toEqual({ text: LOG, encoding: "utf-16le" });
    expect(decodeLog(utf16be(LOG, false))).toEqual({ text: LOG, encoding: "utf-16be" });
  });

  it("a string keeps its text and loses a leading BOM", () => {
    expect(decodeLog("\uFEFF#1 x")).toEqual({ text: "#1 x", encoding: "utf-8" });
  });

  it("UTF-16 bytes that were read as a one-byte-per-character string", () => {
    const bytes = utf16le(LOG, true);
    const latin1 = String.fromCharCode(...bytes);
    expect(decodeLog(latin1)).toEqual({ text: LOG, encoding: "utf-16le" });
  });

  it("UTF-16 that went through a UTF-8 decoder keeps its text readable", () => {
    const mangled = new TextDecoder().decode(utf16le(LOG, true));
    expect(decodeLog(mangled).text).toBe(LOG);
  });

  it("a few NUL bytes inside UTF-8 are left alone", () => {
    expect(decodeLog("#1 a\u0000b\n#1 DONE 0.1s\n").text).toBe("#1 a\u0000b\n#1 DONE 0.1s\n");
  });
});
