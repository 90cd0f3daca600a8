// Runs a script from `pmo-vmo form --format apps-script` under Node, with a
// recording stand-in for Google's FormApp and Logger, checks the form it would build
// against the rubric, and writes the CSV that form's responses would export.
//
//   node tests/js/node-harness.js SCRIPT.gs RUBRIC.json EXPORT.csv [RECORD.json]
//
// RUBRIC.json is `pmo-vmo rubric show --format json`. RECORD.json (optional) gets
// every call the script made, for the Rust test (tests/apps_script.rs) to check as
// well. Any failed check throws: the exit status is then 1.
"use strict";
const vm = require("node:vm");
const fs = require("node:fs");
const assert = require("node:assert/strict");

// A stand-in with exactly the listed methods: calling anything else (an undocumented
// or misspelt call) throws. Setters return the object, as FormApp's do.
function strict(kind, methods) {
  return new Proxy(methods, {
    get(target, prop) {
      if (prop in target) return target[prop];
      if (typeof prop === "symbol" || prop === "then" || prop === "toJSON") return undefined;
      throw new Error(`${kind}.${String(prop)} is not in the stand-in: not a documented call`);
    },
  });
}

function recordingFormApp() {
  const refuse = process.env.HARNESS_REFUSE_PUBLISH === "1";
  const rec = { created: 0, form: { title: null, description: null, progressBar: null, published: false }, items: [], log: [] };
  function item(type) {
    const it = { type, title: null, help: null, required: null, choices: null };
    rec.items.push(it);
    const self = strict(type, {
      setTitle(t) { assert.equal(typeof t, "string"); it.title = t; return self; },
      setHelpText(t) { assert.equal(typeof t, "string"); it.help = t; return self; },
      setRequired(b) { assert.equal(typeof b, "boolean"); it.required = b; return self; },
      ...(type === "MULTIPLE_CHOICE" ? {
        setChoiceValues(values) {
          assert.ok(Array.isArray(values) && values.every((v) => typeof v === "string"));
          // Google Forms refuses the same choice twice in one item.
          assert.equal(new Set(values).size, values.length, "duplicate choice in " + it.title);
          it.choices = Array.from(values);
          return self;
        },
      } : {}),
    });
    return self;
  }
  const form = strict("Form", {
    setTitle(t) { rec.form.title = t; return form; },
    setDescription(t) { rec.form.description = t; return form; },
    setProgressBar(b) { rec.form.progressBar = b; return form; },
    addTextItem() { return item("TEXT"); },
    addPageBreakItem() { return item("PAGE_BREAK"); },
    addParagraphTextItem() { return item("PARAGRAPH_TEXT"); },
    // Form.setPublished(Boolean) and isPublished(): a form made by a script starts
    // unpublished (2026). HARNESS_REFUSE_PUBLISH=1 plays a form that refuses it.
    setPublished(b) {
      assert.equal(typeof b, "boolean");
      if (refuse) throw new Error("Exception: this form cannot be published through the API");
      rec.form.published = b;
      return form;
    },
    isPublished() { return rec.form.published; },
    addMultipleChoiceItem() { return item("MULTIPLE_CHOICE"); },
    getEditUrl() { return "https://docs.google.com/forms/d/FAKE-ID/edit"; },
    getPublishedUrl() { return "https://docs.google.com/forms/d/e/FAKE-ID/viewform"; },
  });
  const FormApp = strict("FormApp", {
    create(title) { rec.created++; rec.form.title = title; return form; },
  });
  const Logger = strict("Logger", { log(x) { rec.log.push(String(x)); } });
  return { rec, FormApp, Logger };
}

function run(gsFile) {
  const { rec, FormApp, Logger } = recordingFormApp();
  const code = fs.readFileSync(gsFile, "utf8");
  // A bare context: no require, no process; only the stand-ins.
  const context = vm.createContext({ FormApp, Logger });
  vm.runInContext(code, context, { filename: gsFile });
  assert.equal(typeof context.createForm, "function", "createForm is not defined");
  vm.runInContext("createForm()", context);
  return rec;
}

// Google Forms' CSV export: every cell quoted, "" for a quote, CRLF line ends.
function csvLine(cells) {
  return cells.map((c) => '"' + String(c).replace(/"/g, '""') + '"').join(",") + "\r\n";
}

function checkForm(rubric, rec) {
  const items = rec.items;
  assert.equal(rec.created, 1, "one form created");
  assert.equal(rec.form.title, rubric.title, "form title");
  assert.ok(rec.form.description.startsWith(rubric.description), "form description");
  assert.deepEqual(items.slice(0, 3).map((i) => [i.type, i.title]),
    [["TEXT", "Name"], ["TEXT", "Role"], ["TEXT", "Organisation"]]);
  // Then the questions about the organisation (no factor), then per factor with
  // questions a page break, its questions in order and a notes box.
  const expected = [];
  const parts = [{ id: "", title: "About the organisation" }, ...rubric.factor];
  for (const f of parts) {
    const qs = rubric.question.filter((q) => (q.factor || "") === f.id);
    if (!qs.length) continue;
    expected.push({ type: "PAGE_BREAK", title: f.title, help: f.description || null });
    for (const q of qs) {
      // The question's help, then each answer's help: FormApp has no help per choice.
      const lines = q.help ? [q.help] : [];
      const explained = q.option.filter((o) => o.help);
      if (explained.length && lines.length) lines.push("");
      for (const o of explained) lines.push("\u2022 " + o.label + ": " + o.help);
      expected.push({ type: "MULTIPLE_CHOICE", title: q.text, help: lines.length ? lines.join("\n") : null,
        choices: q.option.map((o) => o.label), required: false });
    }
    expected.push({ type: "PARAGRAPH_TEXT", title: "Notes on \u201c" + f.title + "\u201d (optional)",
      help: "Evidence or an example for any answer in this part." });
  }
  const rest = items.slice(3).map((i) => {
    const o = { type: i.type, title: i.title, help: i.help };
    if (i.type === "MULTIPLE_CHOICE") { o.choices = i.choices; o.required = i.required; }
    return o;
  });
  assert.deepEqual(rest, expected);
  for (const q of rubric.question) {
    assert.equal(items.filter((i) => i.title === q.text).length, 1, "asked once: " + q.text);
  }
  assert.equal(rec.log.length, 2, "two lines logged");
  assert.ok(rec.log[0].includes("/edit") && rec.log[1].includes("/viewform"), "the links");
  if (process.env.HARNESS_REFUSE_PUBLISH === "1") {
    assert.equal(rec.form.published, false);
    assert.ok(rec.log[1].startsWith("Not published yet") && rec.log[1].includes("press Publish"), rec.log[1]);
  } else {
    assert.equal(rec.form.published, true, "the form is published");
    assert.ok(rec.log[1].startsWith("Published."), rec.log[1]);
  }
}

// The export of the recorded form: Timestamp, then a column per item that is not a
// page break, in form order; two respondents who answer every question.
function exportCsv(rec) {
  const columns = rec.items.filter((i) => i.type !== "PAGE_BREAK");
  const note = (c) => (c.type === "PARAGRAPH_TEXT" ? "Seen in the March review" : null);
  const people = [
    { stamp: "2026/11/25 9:14:03 AM GMT+1", about: ["Ana Lima", "sponsor", "Acme"], pick: (n, k) => k % n },
    { stamp: "2026/11/25 10:02:47 AM GMT+1", about: ["Bo \"the PM\" Berg", "project manager", "Acme, Inc."], pick: (n) => n - 1 },
  ];
  let csv = csvLine(["Timestamp", ...columns.map((c) => c.title)]);
  for (const p of people) {
    let k = 0;
    const cells = columns.map((c, ci) => (c.type === "TEXT" ? p.about[ci]
      : note(c) !== null ? note(c) : c.choices[p.pick(c.choices.length, k++)]));
    csv += csvLine([p.stamp, ...cells]);
  }
  return csv;
}

const [gsFile, rubricFile, csvFile, recordFile] = process.argv.slice(2);
if (!csvFile) {
  console.error("usage: node node-harness.js SCRIPT.gs RUBRIC.json EXPORT.csv [RECORD.json]");
  process.exit(2);
}
const rubric = JSON.parse(fs.readFileSync(rubricFile, "utf8"));
const rec = run(gsFile);
if (recordFile) fs.writeFileSync(recordFile, JSON.stringify(rec, null, 1));
checkForm(rubric, rec);
fs.writeFileSync(csvFile, exportCsv(rec));
console.log(`ok: ${rec.items.length} items, ${rubric.question.length} questions; wrote ${csvFile}`);
