import assert from "node:assert/strict";
import { ConfigError } from "../lib/config/mod.ts";
import { describeError, reportError } from "./errors.ts";

Deno.test("errors: input problems are their own line, exit 1", () => {
  assert.deepEqual(describeError(new ConfigError("exp.yaml", "seeds", "bad")), {
    line: 'error: exp.yaml: key "seeds": bad',
    code: 1,
  });
  // The toolkit's own TypeErrors (regress's expectations file, registerModel) stay input errors.
  assert.equal(
    describeError(new TypeError("x.json: results[0].seed: expected an integer")).code,
    1,
  );
});

Deno.test("errors: a full disk, a denied permission and a locked store say so", () => {
  const enospc = Object.assign(
    new Error("No space left on device (os error 28): write 'results/demo/table3.csv'"),
    { code: "ENOSPC" },
  );
  const full = describeError(enospc);
  assert.equal(full.code, 1);
  assert.match(
    full.line,
    /^error: disk full: no space left on device writing results\/demo\/table3\.csv/,
  );
  assert.match(describeError(new Error("database or disk is full")).line, /^error: disk full/);
  const denied = describeError(
    new Deno.errors.PermissionDenied("Permission denied (os error 13): open '/ro/store.sqlite'"),
  );
  assert.deepEqual(
    [denied.code, denied.line.split(" (")[0]],
    [1, "error: permission denied: /ro/store.sqlite"],
  );
  assert.match(describeError(new Error("database is locked")).line, /store is locked by another/);
  for (const e of [enospc, new Error("database is locked")]) {
    assert.ok(!describeError(e).line.includes("\n"));
  }
});

Deno.test("errors: an engine TypeError is an internal error, exit 2, naming where", () => {
  let caught: unknown;
  try {
    (undefined as unknown as { replace(): void }).replace();
  } catch (e) {
    caught = e;
  }
  const { line, code } = describeError(caught);
  assert.equal(code, 2);
  assert.match(
    line,
    /^error: internal error \(a bug in the toolkit, not a problem of your input\): TypeError: Cannot read properties of undefined \(reading 'replace'\) at cli\/errors_test\.ts:\d+; rerun with M2VAE_DEBUG=1/,
  );
  assert.ok(!line.includes("\n"));
  assert.equal(describeError(new Error("something else")).code, 2);
});

Deno.test("errors: a store URL in any error line is shown without its password", () => {
  const e = new Error("connect ECONNREFUSED for postgres://me:s3cret@db.lab:5432/m2vae");
  const { line } = describeError(e);
  assert.equal(line, "error: connect ECONNREFUSED for postgres://me:***@db.lab:5432/m2vae");
});

Deno.test("errors: a path that cannot be used as given is named with what is wrong, exit 1", () => {
  const dir = Deno.makeTempDirSync();
  const caught = (fn: () => unknown): unknown => {
    try {
      fn();
    } catch (e) {
      return e;
    }
    throw new Error("expected a failure");
  };
  try {
    const file = `${dir}/file`, sub = `${dir}/sub`;
    Deno.writeTextFileSync(file, "x");
    Deno.mkdirSync(sub);
    const cases: [unknown, string][] = [
      [caught(() => Deno.mkdirSync(`${dir}/no/x`)), `cannot write ${dir}/no/x: no such directory`],
      [
        caught(() => Deno.mkdirSync(file)),
        `cannot write ${file}: a file is there, not a directory`,
      ],
      [
        caught(() => Deno.mkdirSync(`${file}/x`, { recursive: true })),
        `cannot write ${file}/x: a part of the path is a file, not a directory`,
      ],
      [
        caught(() => Deno.writeTextFileSync(sub, "x")),
        `cannot write ${sub}: it is a directory, not a file`,
      ],
      [
        caught(() => Deno.renameSync(file, sub)),
        `cannot write ${sub}: it is a directory, not a file`,
      ],
      [
        caught(() => Deno.renameSync(`${dir}/gone`, file)),
        `cannot read ${dir}/gone: no such file or directory`,
      ],
      [
        caught(() => Deno.readTextFileSync(`${dir}/gone`)),
        `cannot read ${dir}/gone: no such file or directory`,
      ],
      [
        caught(() => Deno.openSync(file, { write: true, createNew: true })),
        `cannot open ${file}: it already exists`,
      ],
      // An atomic write's temporary file is named as the file it writes, and a path holding an
      // apostrophe whole.
      [
        caught(() => Deno.writeTextFileSync(`${dir}/no/a.json.tmp-1234`, "x")),
        `cannot write ${dir}/no/a.json: no such directory`,
      ],
      [
        caught(() => Deno.readTextFileSync(`${dir}/o'brien/x`)),
        `cannot read ${dir}/o'brien/x: no such file or directory`,
      ],
    ];
    for (const [e, line] of cases) {
      assert.deepEqual(describeError(e), { line: `error: ${line}`, code: 1 });
    }
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  // Known by its code too (an error from another API), and only with a path to name.
  const tagged = Object.assign(new Error("Not a directory (os error 20): mkdir 'out/a'"), {
    code: "ENOTDIR",
  });
  assert.deepEqual(describeError(tagged), {
    line: "error: cannot write out/a: a part of the path is a file, not a directory",
    code: 1,
  });
  assert.equal(describeError(new Deno.errors.NotFound("no such key")).code, 2);
});

Deno.test("reportError: one line; under M2VAE_DEBUG the stack too, of an exit-1 error as well", () => {
  const lines: string[] = [], error = console.error, was = Deno.env.get("M2VAE_DEBUG");
  console.error = (...a: unknown[]) => void lines.push(a.join(" "));
  const e = new Deno.errors.NotFound("No such file or directory (os error 2): mkdir '/no/x'");
  try {
    Deno.env.delete("M2VAE_DEBUG");
    assert.equal(reportError(e), 1);
    assert.deepEqual(lines, ["error: cannot write /no/x: no such directory"]);
    lines.length = 0;
    Deno.env.set("M2VAE_DEBUG", "1");
    assert.equal(reportError(e), 1);
    assert.equal(lines[0], "error: cannot write /no/x: no such directory");
    assert.match(lines[1] ?? "", /^NotFound: No such file or directory[\s\S]*errors_test\.ts/);
  } finally {
    console.error = error;
    if (was === undefined) Deno.env.delete("M2VAE_DEBUG");
    else Deno.env.set("M2VAE_DEBUG", was);
  }
});
