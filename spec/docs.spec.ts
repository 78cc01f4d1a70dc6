import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { format } from "node:util";
import { runInThisContext } from "node:vm";
import { expect } from "chai";
import ts from "typescript";

/**
 * The user documentation: README.md and docs/*.md. Every TypeScript block type-checks against the
 * sources, every block fenced as `ts run` runs and prints what its comments say, and every
 * other TypeScript block is one that needs a server (it listens, or talks to Redis).
 */

const ROOT = resolve(__dirname, "..");
const DOCS = [
  "README.md",
  ...readdirSync(join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
];
/** Pages that `npm run bench` writes: their links are checked, their contents list is not. */
const GENERATED = new Set(["docs/benchmarks.md"]);

/** A fenced code block of a page. */
interface Block {
  readonly doc: string;
  /** The page's line of the block's first line of code, from 1. */
  readonly line: number;
  /** What follows the opening fence: `ts`, `ts run` or `sh`. */
  readonly info: string;
  readonly source: string;
}

/** A page split into its fenced blocks and the prose around them. */
function read(doc: string): { blocks: Block[]; prose: string } {
  const lines = readFileSync(join(ROOT, doc), "utf8").split("\n");
  const blocks: Block[] = [];
  const prose: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^( *)```(.*)$/.exec(lines[i] as string);
    if (open === null) {
      prose.push(lines[i] as string);
      continue;
    }
    const indent = (open[1] as string).length;
    let end = i + 1;
    while (end < lines.length && (lines[end] as string).trim() !== "```") end++;
    const source = lines.slice(i + 1, end).map((line) => line.slice(indent));
    blocks.push({ doc, line: i + 2, info: (open[2] as string).trim(), source: source.join("\n") });
    i = end;
  }
  return { blocks, prose: prose.join("\n") };
}

const PAGES = new Map(DOCS.map((doc) => [doc, read(doc)]));
const BLOCKS = [...PAGES.values()].flatMap((page) => page.blocks);
const TS_BLOCKS = BLOCKS.filter((block) => block.info === "ts" || block.info === "ts run");
const RUN_BLOCKS = BLOCKS.filter((block) => block.info === "ts run");

/**
 * A block that cannot run in a spec: it listens, talks to Redis, or declares specs of node:test
 * (which would run them in this process, beside mocha's).
 */
const NEEDS_A_SERVER = /\.listen\(|\bserve\(|from "(redis|ioredis|node:test)"/;

/**
 * The package's entry points, as users import them, mapped to the sources that build them
 * (`./dist/express.js` is built from `./src/express.ts`): a block importing a path the package
 * does not export fails to resolve.
 */
const ENTRY_POINTS: Record<string, string> = Object.fromEntries(
  Object.entries(
    JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).exports as Record<
      string,
      string | { default: string }
    >,
  )
    .filter(([subpath]) => subpath !== "./package.json")
    .map(([subpath, target]) => [
      `scs-memstore${subpath.slice(1)}`,
      (typeof target === "string" ? target : target.default)
        .replace(/^\.\/dist\//, "./src/")
        .replace(/\.js$/, ".ts"),
    ]),
);

/** The file name a block is checked under: the page's name and the block's line. */
function fileNameOf(block: Block): string {
  return join(ROOT, `${block.doc}.${block.line}.mts`);
}

/**
 * The type errors of `blocks`, each checked as an ES module (so that it may use top-level
 * `await`) in one program. Blank lines put each block at its own line of its page, so that an
 * error names the page's line.
 */
function typeErrorsOf(blocks: Block[]): { errors: string[]; files: number } {
  const sources = new Map(
    blocks.map((block) => [fileNameOf(block), "\n".repeat(block.line - 1) + block.source]),
  );
  const options: ts.CompilerOptions = {
    ...ts.parseJsonConfigFileContent(
      JSON.parse(readFileSync(join(ROOT, "tsconfig.json"), "utf8")),
      ts.sys,
      ROOT,
    ).options,
    noEmit: true,
    noUnusedLocals: false,
    types: ["node"],
    paths: Object.fromEntries(Object.entries(ENTRY_POINTS).map(([name, src]) => [name, [src]])),
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (name, version, ...rest) => {
    const text = sources.get(name);
    return text === undefined
      ? getSourceFile.call(host, name, version, ...rest)
      : ts.createSourceFile(name, text, version);
  };
  host.fileExists = (name) => sources.has(name) || fileExists.call(host, name);
  host.readFile = (name) => sources.get(name) ?? readFile.call(host, name);
  const program = ts.createProgram([...sources.keys()], options, host);
  // The blocks' own diagnostics only: the sources are type-checked by `npm run lint`.
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...[...sources.keys()].flatMap((name) => {
      const file = program.getSourceFile(name) as ts.SourceFile;
      return [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)];
    }),
  ];
  const formatHost = { ...host, getNewLine: () => "\n" };
  return {
    errors: diagnostics.map((d) => ts.formatDiagnostic(d, formatHost).trim()),
    files: program.getSourceFiles().length,
  };
}

/**
 * The CPU time the type check may take per file of its program (every declaration file it parses
 * included). Measured: 12 ms per file (7.6 s for 613 files) on a quiet 2-core machine, and the
 * same with six busy processes beside it, since CPU time does not grow with the load of other
 * processes. So the bound fails work that has grown pathological, never a busy machine.
 */
const CHECK_CPU_MS_PER_FILE = 60;

/**
 * The CPU time loading the entry points may take per module loaded. Measured: 25 ms per module
 * (1.1 s for 46, ts-node's first compilation included), busy machine or not.
 */
const LOAD_CPU_MS_PER_MODULE = 250;

/** Runs `work`, synchronous, and asserts that it took at most `msPerFile` of CPU per file. */
function withinCpuBound<T>(work: () => T, msPerFile: number, filesOf: (result: T) => number): T {
  const start = process.cpuUsage();
  const result = work();
  const { user, system } = process.cpuUsage(start);
  const files = filesOf(result);
  expect((user + system) / 1_000, `CPU ms for ${files} files`).to.be.below(files * msPerFile);
  return result;
}

/** Runs `block` in this process, with the package's entry points resolving to the sources. */
async function run(block: Block): Promise<{ printed: string[]; complaints: string[] }> {
  const { outputText } = ts.transpileModule(block.source, {
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    // Not the `.mts` name it is checked under, which would keep the output an ES module.
    fileName: fileNameOf(block).replace(/\.mts$/, ".ts"),
  });
  const printed: string[] = [];
  const complaints: string[] = [];
  const recorder = {
    log: (...args: unknown[]) => printed.push(format(...args)),
    error: (...args: unknown[]) => complaints.push(format(...args)),
    warn: (...args: unknown[]) => complaints.push(format(...args)),
  };
  const requireEntry = (name: string): unknown => {
    const source = ENTRY_POINTS[name];
    return require(source === undefined ? name : join(ROOT, source));
  };
  // An async function body, so that a block may use top-level `await`.
  const body = runInThisContext(`(async (require, exports, console) => {\n${outputText}\n})`, {
    filename: fileNameOf(block),
  }) as (r: typeof requireEntry, e: object, c: typeof recorder) => Promise<void>;
  await body(requireEntry, {}, recorder);
  return { printed, complaints };
}

/** What a `ts run` block's `console.log(...); // text` lines say they print, in order. */
function expectedOutputOf(block: Block): { expected: string[]; logs: number } {
  return {
    expected: [...block.source.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map(
      (match) => match[1] as string,
    ),
    logs: [...block.source.matchAll(/console\.log\(/g)].length,
  };
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slugOf(heading: string): string {
  return heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, "$1")
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, "")
    .replace(/ /g, "-");
}

/** The anchors of a page's headings, numbered as GitHub numbers repeated ones. */
function anchorsOf(doc: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  for (const [, heading] of (PAGES.get(doc)?.prose ?? "").matchAll(/^#{1,6} (.*)$/gm)) {
    const slug = slugOf(heading as string);
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

/** The targets of a page's Markdown links, outside its code blocks. */
function linksOf(doc: string): string[] {
  const prose = PAGES.get(doc)?.prose ?? "";
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1] as string);
}

describe("docs", () => {
  // Synchronous work, which a wall-clock timeout cannot stop, only measure against the machine's
  // load: bounded by the CPU time it uses instead, derived from its size.
  before("load every entry point once, so that each block runs in milliseconds", function () {
    this.timeout(0);
    withinCpuBound(
      () => {
        const loadedBefore = Object.keys(require.cache).length;
        for (const source of Object.values(ENTRY_POINTS)) require(join(ROOT, source));
        return Object.keys(require.cache).length - loadedBefore;
      },
      LOAD_CPU_MS_PER_MODULE,
      (loaded) => Math.max(loaded, 1),
    );
  });

  it("docs: the pages have TypeScript blocks, some of them runnable", () => {
    expect(DOCS).to.include.members(["README.md", "docs/api.md", "docs/redis.md"]);
    expect(TS_BLOCKS.length).to.be.greaterThan(10);
    expect(RUN_BLOCKS.length).to.be.greaterThan(3);
  });

  it("docs: every code block is TypeScript (`ts`, or `ts run` to run it) or shell (`sh`)", () => {
    const others = BLOCKS.filter((block) => !["ts", "ts run", "sh"].includes(block.info));
    expect(others.map((block) => `${block.doc}:${block.line} ${block.info}`)).to.deep.equal([]);
  });

  it("docs: every TypeScript block runs here unless it needs a server", () => {
    const unmarked = TS_BLOCKS.filter(
      (block) => block.info === "ts" && !NEEDS_A_SERVER.test(block.source),
    );
    const misMarked = RUN_BLOCKS.filter((block) => NEEDS_A_SERVER.test(block.source));
    expect(unmarked.map((block) => `${block.doc}:${block.line} could run`)).to.deep.equal([]);
    expect(misMarked.map((block) => `${block.doc}:${block.line} needs a server`)).to.deep.equal([]);
  });

  it("docs: every TypeScript block type-checks against the sources", function () {
    this.timeout(0); // bounded by CPU time, as above
    const { errors } = withinCpuBound(
      () => typeErrorsOf(TS_BLOCKS),
      CHECK_CPU_MS_PER_FILE,
      ({ files }) => files,
    );
    expect(errors).to.deep.equal([]);
  });

  for (const block of RUN_BLOCKS) {
    it(`docs: ${block.doc}:${block.line} runs and prints what its comments say`, async () => {
      const { expected, logs } = expectedOutputOf(block);
      expect(expected.length, "each console.log says what it prints").to.equal(logs);
      const { printed, complaints } = await run(block);
      expect(complaints).to.deep.equal([]);
      expect(printed).to.deep.equal(expected);
    });
  }

  it("docs: every relative link names a file that exists, and a heading of it", () => {
    const broken: string[] = [];
    for (const doc of DOCS) {
      for (const link of linksOf(doc)) {
        if (/^[a-z]+:/.test(link)) continue;
        const [path, anchor] = link.split("#") as [string, string | undefined];
        const target = path === "" ? doc : join(dirname(doc), path);
        if (!existsSync(join(ROOT, target))) broken.push(`${doc}: ${link} (no file)`);
        else if (anchor !== undefined && !anchorsOf(target).has(anchor)) {
          broken.push(`${doc}: ${link} (no heading)`);
        }
      }
    }
    expect(broken).to.deep.equal([]);
  });

  it("docs: each page opens with a contents list that links every section", () => {
    const missing: string[] = [];
    for (const doc of DOCS.filter((name) => !GENERATED.has(name))) {
      const prose = PAGES.get(doc)?.prose ?? "";
      const firstSection = prose.search(/^## /m);
      const listed = new Set(
        [...prose.slice(0, firstSection).matchAll(/^ *- \[.*\]\(#(.*)\)$/gm)].map((m) => m[1]),
      );
      for (const [, heading] of prose.matchAll(/^## (.*)$/gm)) {
        if (!listed.has(slugOf(heading as string))) missing.push(`${doc}: ${heading}`);
      }
    }
    expect(missing).to.deep.equal([]);
  });

  it("docs: every npm script the pages name exists", () => {
    const { scripts } = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const named = DOCS.flatMap((doc) => [
      ...readFileSync(join(ROOT, doc), "utf8").matchAll(/\bnpm (?:run ([\w:-]+)|(start|test)\b)/g),
    ]).map((match) => (match[1] ?? match[2]) as string);
    expect(named).to.include("bench");
    expect(named.filter((name) => scripts[name] === undefined)).to.deep.equal([]);
  });

  it("docs: the README's first command installs the package, and its last section is for contributors", () => {
    const readme = PAGES.get("README.md");
    expect(readme?.blocks[0]?.source.trim()).to.equal("npm install scs-memstore");
    const sections = [...(readme?.prose ?? "").matchAll(/^## (.*)$/gm)].map((m) => m[1]);
    expect(sections.slice(-2)).to.deep.equal(["Development", "License"]);
  });

  it("docs: the README stays short (300 lines at most)", () => {
    const lines = readFileSync(join(ROOT, "README.md"), "utf8").trimEnd().split("\n").length;
    expect(lines).to.be.at.most(300);
  });
});
