// The search page's ranking (Sphinx's html_search_scorer; issue 26): Sphinx's default
// scores, and a boost for the pages a reader is after -- the chapters, then the glossary
// and the exercises -- so that a concept ranks its chapter above the itlib function of
// the same name ("InfoNCE": chapter 6 before itlib.bounds.infonce).
var Scorer = {
  score: (result) => {
    const [docname, title, anchor, descr, score, filename] = result;
    if (docname.startsWith("chapters/")) return score + 30;
    if (docname === "glossary" || docname.startsWith("exercises/")) return score + 20;
    return score;
  },
  objNameMatch: 11,
  objPartialMatch: 6,
  objPrio: { 0: 15, 1: 5, 2: -5 },
  objPrioDefault: 0,
  title: 15,
  partialTitle: 7,
  term: 5,
  partialTerm: 2,
};
