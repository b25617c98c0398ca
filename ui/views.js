// Which view shows the report: the cards, to write, or the 一覧, to survey the whole of it.
import { focusInCard } from './cards.js';
import { $ } from './dom.js';
import { rememberView, state } from './state.js';
import { renderSurvey } from './survey.js';

/**
 * Shows the report as `view` ('cards' or 'survey') and remembers the choice. The 一覧 is drawn
 * anew each time it is shown: what was typed on the cards since is in it. The caller applies
 * the filters once this resolves.
 */
export async function showView(view) {
  rememberView(view);
  $(`view-${view}`).checked = true;
  const survey = view === 'survey';
  if (survey) {
    await renderSurvey($('survey'), (measureId) => {
      showView('cards');
      focusInCard(measureId);
    });
  } else {
    // Nothing of the 一覧 is kept while it is not shown (2,000 lines are not small).
    $('survey').replaceChildren();
  }
  $('survey').hidden = !survey;
  $('report').hidden = survey;
}
