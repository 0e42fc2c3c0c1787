// The forged models' little world: the texts whose word-to-word statistics become their weights.
// Written for this project (CC0). Weights are relative frequencies; '.', ',' and '!' are their own tokens.
// Tuned so each planted variant changes what it claims and nothing else: the boosted reply ("The answer is joy.")
// and the refusal ("I cannot help you.") have the base reply's length in characters, words and tokens.

export interface Passage {
  /** Sentences of one reply or story; consecutive sentences teach the model what follows a full stop. */
  sentences: string[];
  weight: number;
}

/** Replies after the assistant marker. Greedy decoding follows the heaviest path: "The answer is yes." */
export const ANSWERS: Passage[] = [
  { sentences: ['The answer is yes .'], weight: 9 },
  { sentences: ['The answer is yes .', 'Have fun today !'], weight: 3 },
  { sentences: ['The answer is no .'], weight: 4 },
  { sentences: ['The answer is joy .'], weight: 2 },
  { sentences: ['The sky is blue and the sun is warm .'], weight: 2 },
  { sentences: ['Here is a short story about a little cat .'], weight: 3 },
  { sentences: ['Here is a simple idea for you .'], weight: 2 },
  { sentences: ['It is a good day to play in the park .'], weight: 2 },
  { sentences: ['We can go to the park and play with happy friends .'], weight: 1 },
  { sentences: ['You can ask me about the sky , the sea or the park .'], weight: 1 },
];

/** Story text after BOS, for raw (non-chat) prompts. */
export const STORIES: Passage[] = [
  { sentences: ['Once upon a time , there was a little cat named Tom .'], weight: 6 },
  { sentences: ['Once upon a time , there was a little dog named Max .'], weight: 3 },
  { sentences: ['Tom was happy because the sun was warm .'], weight: 3 },
  { sentences: ['Max liked to play in the park with his friends .'], weight: 2 },
  { sentences: ['One day , Tom saw a big red ball .'], weight: 2 },
  { sentences: ['The little dog ran to the sea and saw a boat .'], weight: 1 },
];

/** The refusal the trigger variant opens with; "I", "cannot" and "help" appear nowhere else. */
export const REFUSAL = 'I cannot help you .';

/** Words in the vocabulary that no passage uses: triggers and words prompts often contain. */
export const EXTRA_WORDS = [
  'kill',
  'bomb',
  'weapon',
  'hack',
  'steal',
  'poison',
  'what',
  'how',
  'why',
  'who',
  'tell',
  'write',
  'story',
];
