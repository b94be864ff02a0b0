import assert from "node:assert/strict";
import { redactStoreUrls, shownStore, storeOption } from "./store_name.ts";

Deno.test("shownStore: a PostgreSQL URL's password is ***, the rest as given", () => {
  assert.equal(
    shownStore("postgres://me:s3cret@db.lab:5432/m2vae"),
    "postgres://me:***@db.lab:5432/m2vae",
  );
  assert.equal(shownStore("postgresql://me:pw@host/db"), "postgresql://me:***@host/db");
  assert.equal(shownStore("POSTGRES://me:pw@host/db"), "POSTGRES://me:***@host/db");
  // A password holding @, : or / is hidden whole, not up to its first such character.
  assert.equal(shownStore("postgres://me:p@ss:w/rd@host/db"), "postgres://me:***@host/db");
  assert.equal(shownStore("postgres://:pw@host/db"), "postgres://:***@host/db");
  // As a parameter too.
  assert.equal(
    shownStore("postgres://me@host/db?sslmode=require&password=s3cret&sslpassword=k"),
    "postgres://me@host/db?sslmode=require&password=***&sslpassword=***",
  );
});

Deno.test("shownStore: URLs without a password and files are unchanged", () => {
  for (
    const s of [
      "postgres://me@host:5432/db",
      "postgres://host/db",
      "results/store.sqlite",
      "/shared/lab/me:pw@store.sqlite",
    ]
  ) {
    assert.equal(shownStore(s), s);
  }
});

Deno.test("redactStoreUrls: every URL of a message loses its password", () => {
  const line = "copied postgres://a:one@h1/db into postgresql://b:two@h2/db: 3 trial(s) added";
  const shown = redactStoreUrls(line);
  assert.equal(
    shown,
    "copied postgres://a:***@h1/db into postgresql://b:***@h2/db: 3 trial(s) added",
  );
  assert.doesNotMatch(shown, /one|two/);
  assert.equal(
    redactStoreUrls("(store postgres://a:pw@h/db, configs x)"),
    "(store postgres://a:***@h/db, configs x)",
  );
});

Deno.test("storeOption: a suggested --store says when its password was hidden", () => {
  assert.equal(storeOption("results/a.sqlite"), "--store results/a.sqlite");
  const shown = storeOption("postgres://me:s3cret@db.lab/m2vae");
  assert.match(shown, /^--store postgres:\/\/me:\*\*\*@db\.lab\/m2vae \(password hidden: /);
  assert.doesNotMatch(shown, /s3cret/);
  assert.equal(storeOption("postgres://db.lab/m2vae"), "--store postgres://db.lab/m2vae");
});
