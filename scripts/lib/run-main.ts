// The end of every script's command: run its main on the arguments, exit with
// its code, and turn an error into one line (`name: message`) and exit code 1,
// never a stack trace for a mistyped flag.
export function runMain(name: string, main: (argv: string[]) => Promise<number>): void {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`${name}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
