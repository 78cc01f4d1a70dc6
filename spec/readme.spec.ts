import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { runInNewContext } from "node:vm";
import { expect } from "chai";
import ts from "typescript";

const ROOT = resolve(__dirname, "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** The README's TypeScript code blocks, in order. */
const blocks = [...README.matchAll(/```ts\n([\s\S]*?)```/g)].map((match) => match[1] as string);

/**
 * `scs-memstore` and its subpaths resolve to the sources, as they do once the package is built.
 * Blocks are checked as ES modules, so that they may use top-level `await`.
 */
const PATHS = {
  "scs-memstore": ["./src/index.ts"],
  "scs-memstore/*": ["./src/*.ts"],
};

function typeErrorsOf(sources: string[]): string[] {
  const names = sources.map((_, i) => join(ROOT, `readme-block-${i}.mts`));
  const options: ts.CompilerOptions = {
    ...ts.parseJsonConfigFileContent(
      JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")),
      ts.sys,
      ROOT,
    ).options,
    noEmit: true,
    noUnusedLocals: false,
    paths: PATHS,
  };
  const host = ts.createCompilerHost(options);
  const virtual = new Map(names.map((name, i) => [name, sources[i] as string]));
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) => {
    const text = virtual.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, version, ...rest)
      : ts.createSourceFile(name, text, version);
  };
  host.fileExists = (name) => virtual.has(name) || fileExists.call(host, name);
  host.readFile = (name) => virtual.get(name) ?? readFile.call(host, name);
  const program = ts.createProgram(names, options, host);
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => ts.formatDiagnostic(d, { ...host, getNewLine: () => "\n" }).trim());
}

describe("README", () => {
  it("README: has TypeScript examples", () => {
    expect(blocks.length).to.be.greaterThan(0);
  });

  it("README: every TypeScript block type-checks against the sources", function () {
    this.timeout(30_000);
    expect(typeErrorsOf(blocks)).to.deep.equal([]);
  });

  it("README: the first example runs and prints what its comments say", () => {
    const source = blocks[0] as string;
    const expected = [...source.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) => m[1]);
    const { outputText } = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    });
    const printed: string[] = [];
    const sandboxRequire = (name: string): unknown =>
      require(name === "scs-memstore" ? join(ROOT, "src") : name);
    runInNewContext(outputText, {
      require: sandboxRequire,
      exports: {},
      console: { log: (...args: unknown[]) => printed.push(args.join(" ")) },
      Date,
      TextEncoder,
      TextDecoder,
    });
    expect(expected.length).to.be.greaterThan(0);
    expect(printed).to.deep.equal(expected);
  });
});
