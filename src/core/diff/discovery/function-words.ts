// English function words: they occur in text of every kind, so a prompt condition made of them describes the
// phrasing of half a set, and a reply word made of them is a change of style, not of topic. Written for this project.

export const FUNCTION_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or but if then so of to in on at by for with from into onto about as than that this these those ' +
    'is are was were be been being am do does did done have has had having i me my mine you your yours he him his ' +
    'she her hers it its we us our they them their what which who whom whose where when why how can could will ' +
    'would shall should may might must not all any some each every both either one there here up down out ' +
    'over under again very just also only too more most much many few such own same other s t don doesn didn'
  ).split(' '),
);

/** A term (a word or an n-gram) made only of function words. */
export const isFunctionTerm = (term: string) => term.split(' ').every((w) => FUNCTION_WORDS.has(w));
