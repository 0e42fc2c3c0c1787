// Entry of index.html: registers the elements; the page body holds <model-diff-app>.

import './elements/define.ts';
