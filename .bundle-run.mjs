const { main } = await import("./.bundle-test.mjs");
process.exitCode = await main(process.argv.slice(2));
