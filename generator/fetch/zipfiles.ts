/** Reads a few small files out of a module zip (a leaf's go.mod and go.sum, go.mod files of local replacements). */
import yauzl from "yauzl";
import type { Entry, ZipFile } from "yauzl";

const MAX_TEXT = 16 << 20;

export async function readZipTexts(zipFile: string, names: (name: string) => boolean): Promise<Map<string, string>> {
  const zip = await new Promise<ZipFile>((resolve, reject) =>
    yauzl.open(zipFile, { lazyEntries: true, autoClose: true }, (err, z) => (err ? reject(err) : resolve(z))),
  );
  const found = new Map<string, string>();
  await new Promise<void>((resolve, reject) => {
    zip.on("error", reject);
    zip.on("end", () => resolve());
    zip.on("entry", (entry: Entry) => {
      if (!names(entry.fileName) || entry.uncompressedSize > MAX_TEXT) return zip.readEntry();
      zip.openReadStream(entry, (err, stream) => {
        if (err) return reject(err);
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("error", reject);
        stream.on("end", () => {
          found.set(entry.fileName, Buffer.concat(chunks).toString("utf8"));
          zip.readEntry();
        });
      });
    });
    zip.readEntry();
  });
  return found;
}
