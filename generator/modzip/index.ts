export { digestModuleZip, narHashOfDirectory } from "./digest.js";
export { compareUtf8, hashGoMod, hashHash1 } from "./dirhash.js";
export type { FileDigest } from "./dirhash.js";
export { NarTreeWriter, narString } from "./nar.js";
export {
  MAX_GO_MOD,
  MAX_LICENSE,
  MAX_ZIP_FILE,
  checkFilePath,
  checkZipEntries,
  foldName,
  zipProblemsError,
} from "./zipcheck.js";
export type { ZipEntryHeader } from "./zipcheck.js";
