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
 *        addPageBreakItem, addMultipleChoiceItem, getEditUrl, getPublishedUrl
 *                                              .../forms/form
 *   TextItem.setTitle, setHelpText, setRequired  .../forms/text-item
 *   PageBreakItem.setTitle, setHelpText          .../forms/page-break-item
 *   MultipleChoiceItem.setTitle, setHelpText, setChoiceValues, setRequired
 *                                              .../forms/multiple-choice-item
 *   Logger.log                                 .../base/logger
 */

// The rubric, as `pmo-vmo rubric show --format json` prints it (trimmed to what the
// form needs).
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
  "leave the question blank: an unanswered question is left out of the result " +
  "rather than guessed.";

function createForm() {
  var rubric = RUBRIC;
  var form = FormApp.create(rubric.title);
  form.setTitle(rubric.title);
  form.setDescription(rubric.description ? rubric.description + "\n\n" + INSTRUCTIONS : INSTRUCTIONS);
  form.setProgressBar(true);

  ABOUT_YOU.forEach(function (field) {
    form.addTextItem().setTitle(field.title).setHelpText(field.help).setRequired(false);
  });

  // One page per factor, its questions in rubric order.
  rubric.factor.forEach(function (factor) {
    var questions = rubric.question.filter(function (q) { return q.factor === factor.id; });
    if (questions.length === 0) return;
    var page = form.addPageBreakItem().setTitle(factor.title);
    if (factor.description) page.setHelpText(factor.description);
    questions.forEach(function (q) {
      var item = form.addMultipleChoiceItem();
      item.setTitle(q.text);
      // The labels, in order. No "Other" choice and no "Not sure" choice: an answer
      // that is not a label would not score. A blank answer counts as skipped.
      item.setChoiceValues(q.option.map(function (o) { return o.label; }));
      if (q.help) item.setHelpText(q.help);
      item.setRequired(false);
    });
  });

  Logger.log("Edit the form: " + form.getEditUrl());
  Logger.log("Send this link to respondents: " + form.getPublishedUrl());
  return form;
}
