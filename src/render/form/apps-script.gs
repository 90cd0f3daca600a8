/**
 * pmo-vmo: creates a Google Form for the questionnaire below.
 *
 * Written by `pmo-vmo form --format apps-script`. To use it: open
 * script.google.com, start a new project, replace the editor's contents with this
 * whole file, save, pick `createForm` in the function list and press Run. Google
 * asks once for permission to create forms in your Drive. When it finishes, the
 * execution log shows two links: one to edit the new form, one to send to
 * respondents.
 *
 * The form's CSV export (Responses > Download responses (.csv)) can be scored as it
 * is: `pmo-vmo score responses.csv`. That works because the question titles are the
 * rubric's question texts and the choices are its option labels, so edit the wording
 * in the rubric rather than in the form. Adding questions of your own is harmless:
 * the CLI ignores columns it does not know.
 *
 * Only documented FormApp calls are used (Google Apps Script reference, Forms
 * service: https://developers.google.com/apps-script/reference/forms):
 *   FormApp.create(title)                      .../forms/form-app#create(String)
 *   Form.setTitle, setDescription, setProgressBar, addTextItem,
 *        addParagraphTextItem, addPageBreakItem, addMultipleChoiceItem,
 *        getEditUrl, getPublishedUrl           .../forms/form
 *   Form.setPublished, isPublished             .../forms/form#setPublished(Boolean)
 *        Since 2026, forms made through Google's APIs start unpublished and take no
 *        response until published ("Publish and manage responders on the form",
 *        developers.google.com/workspace/forms/api/guides/publish-form, whose Apps
 *        Script sample calls form.setPublished(true)). Where the call is refused,
 *        the log says which button to press instead.
 *   TextItem, ParagraphTextItem: setTitle, setHelpText, setRequired
 *                                              .../forms/text-item, paragraph-text-item
 *   PageBreakItem.setTitle, setHelpText          .../forms/page-break-item
 *   MultipleChoiceItem.setTitle, setHelpText, setChoiceValues, setRequired
 *                                              .../forms/multiple-choice-item
 *        A choice has no help text of its own in FormApp, so each answer's
 *        explanation goes into the question's help text, under the question's own.
 *   Logger.log                                 .../base/logger
 */

// The questionnaire: only what respondents read (the same text as the interview
// and the HTML form).
var RUBRIC = {{RUBRIC_JSON}};

// The first three questions fill the respondent, role and organisation fields of a
// scored sheet: pmo-vmo reads columns headed "Name", "Role" and "Organisation" as
// those (any letter case). Keep these titles if you edit the form.
var ABOUT_YOU = [
  { title: "Name", help: "Your name, as it should appear in the results." },
  { title: "Role", help: "For example sponsor, project manager, finance." },
  { title: "Organisation", help: "The organisation being assessed." }
];

var INSTRUCTIONS =
  "Choose the answer that fits your organisation best today. If you are not sure, " +
  "leave the question blank: an unanswered question is left out rather than guessed. " +
  "Each part ends with a box for notes or evidence.";

// The part of questions about the organisation itself (they belong to no factor).
var CONTEXT_PART = "About the organisation";

// A question's help, then each answer's own explanation on a line of its own.
function helpText(q) {
  var lines = [];
  if (q.help) lines.push(q.help);
  var explained = q.option.filter(function (o) { return o.help; });
  if (explained.length) {
    if (lines.length) lines.push("");
    explained.forEach(function (o) { lines.push("\u2022 " + o.label + ": " + o.help); });
  }
  return lines.join("\n");
}

function createForm() {
  var rubric = RUBRIC;
  var form = FormApp.create(rubric.title);
  form.setTitle(rubric.title);
  var about = [rubric.intro, rubric.description, INSTRUCTIONS].filter(function (t) { return t; });
  form.setDescription(about.join("\n\n"));
  form.setProgressBar(true);

  ABOUT_YOU.forEach(function (field) {
    form.addTextItem().setTitle(field.title).setHelpText(field.help).setRequired(false);
  });

  // The questions about the organisation first, then one page per factor, each
  // in rubric order and closed by a box for notes on that part.
  var parts = [{ id: "", title: CONTEXT_PART, description: "" }].concat(rubric.factor);
  parts.forEach(function (part) {
    var questions = rubric.question.filter(function (q) { return (q.factor || "") === part.id; });
    if (questions.length === 0) return;
    var page = form.addPageBreakItem().setTitle(part.title);
    if (part.description) page.setHelpText(part.description);
    questions.forEach(function (q) {
      var item = form.addMultipleChoiceItem();
      item.setTitle(q.text);
      // The labels, in order. No "Other" choice and no "Not sure" choice: an answer
      // that is not a label would not score. A blank answer counts as skipped.
      item.setChoiceValues(q.option.map(function (o) { return o.label; }));
      var help = helpText(q);
      if (help) item.setHelpText(help);
      item.setRequired(false);
    });
    form.addParagraphTextItem()
      .setTitle("Notes on \u201c" + part.title + "\u201d (optional)")
      .setHelpText("Evidence or an example for any answer in this part.")
      .setRequired(false);
  });

  // Forms made by a script start unpublished since 2026: publish it, or say how.
  var published = false;
  try {
    form.setPublished(true);
    published = form.isPublished();
  } catch (e) {
    published = false;
  }
  Logger.log("Edit the form: " + form.getEditUrl());
  if (published) {
    Logger.log("Published. Send this link to respondents: " + form.getPublishedUrl());
  } else {
    Logger.log("Not published yet: open the edit link, press Publish at the top right, " +
      "then Publish again in the box that opens. Until then the form takes no answers. " +
      "Then send this link to respondents: " + form.getPublishedUrl());
  }
  return form;
}
