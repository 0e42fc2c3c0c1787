// The part of Observable Plot the forest plot and the crosscoder histogram draw with. Importing these names, not the
// whole module, lets the bundler leave out the marks, transforms and projections we never use: the chunk is ≈ 85 kB
// gzipped instead of ≈ 127 kB (npm run bench: embed).

export { barX, dot, plot, rect, rectY, ruleX, ruleY, scale, text } from '@observablehq/plot';
