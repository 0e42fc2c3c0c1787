// `npm run manifest`: the Custom Elements Manifest (custom-elements.json) of the public elements, from their JSDoc
// (@tagname, @attr, @fires, @slot, @csspart, @cssprop) and Lit's static properties. A test checks it is current.

/**
 * The analyzer's Lit plugin reads `static properties` but treats `{ state: true }` as an attribute, and lets a state
 * property named like another property's attribute (`report` vs `reportUrl: { attribute: 'report' }`) overwrite
 * it. This plugin re-reads `static properties`: attributes map to the right fields, internal state is private.
 */
function litStatePlugin() {
  /** className → [{ field, attribute: string | null, state }] */
  const classes = new Map();
  const option = (obj, key) => obj.properties.find((p) => p.name?.getText() === key)?.initializer;
  return {
    name: 'model-diff-lit-state',
    analyzePhase({ ts, node }) {
      if (!ts.isClassDeclaration(node) || !node.name) return;
      const stat = node.members.find(
        (m) => m.name?.getText() === 'properties' && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword),
      );
      const obj = stat?.initializer;
      if (!obj || !ts.isObjectLiteralExpression(obj)) return;
      classes.set(
        node.name.getText(),
        obj.properties.filter(ts.isPropertyAssignment).map((p) => {
          const opts = ts.isObjectLiteralExpression(p.initializer) ? p.initializer : { properties: [] };
          const attr = option(opts, 'attribute');
          const state = option(opts, 'state')?.kind === ts.SyntaxKind.TrueKeyword;
          const field = p.name.getText();
          const attribute =
            state || attr?.kind === ts.SyntaxKind.FalseKeyword
              ? null
              : attr && ts.isStringLiteral(attr)
                ? attr.text
                : field;
          return { field, attribute, state };
        }),
      );
    },
    moduleLinkPhase({ moduleDoc }) {
      for (const decl of moduleDoc.declarations ?? []) {
        const props = classes.get(decl.name);
        if (!props || !decl.attributes) continue;
        const member = (name) => decl.members?.find((m) => m.name === name);
        decl.attributes = decl.attributes.filter((a) => props.some((p) => p.attribute === a.name));
        for (const a of decl.attributes) {
          const p = props.find((x) => x.attribute === a.name);
          a.fieldName = p.field;
          const type = member(p.field)?.type;
          if (type) a.type = type;
          const dflt = member(p.field)?.default;
          if (dflt !== undefined) a.default = dflt;
        }
        for (const p of props) {
          const m = member(p.field);
          if (!m) continue;
          if (p.state) m.privacy = 'private';
          if (p.attribute) m.attribute = p.attribute;
          else delete m.attribute;
        }
      }
    },
  };
}

// CEM_OUTDIR: the test writes a fresh manifest elsewhere to compare, leaving package.json alone.
const outdir = process.env.CEM_OUTDIR;

export default {
  globs: ['src/elements/model-diff.ts', 'src/elements/model-diff-matrix.ts', 'src/elements/model-diff-app.ts'],
  litelement: true,
  outdir: outdir ?? '.',
  packagejson: !outdir,
  plugins: [litStatePlugin()],
};
