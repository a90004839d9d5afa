export async function main(argv: readonly string[]): Promise<number> {
  console.log("update-set", argv.join(" "));
  return 0;
}
