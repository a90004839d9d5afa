/**
 * Checksum database (GOSUMDB) verification for module versions no go.sum
 * covers: signed tree notes, tiles, inclusion and consistency proofs.
 */
export { createSumdbVerifier } from "./verifier.js";
export type { SumdbResult, SumdbVerifier } from "./verifier.js";
export { KNOWN_SUMDB_KEYS, parseGoSumdb } from "./config.js";
export type { SumdbConfig, SumdbUrl } from "./config.js";
export { createNoteSigner, formatVerifierKey, NoteError, openNote, parseVerifierKey, signNote } from "./note.js";
export type { NoteSigner, NoteVerifier } from "./note.js";
export * from "./tlog.js";
export { createTileHashReader, parseTilePath, readTileData, TILE_HEIGHT, tileForIndex, tilePath } from "./tile.js";
export type { Tile } from "./tile.js";
