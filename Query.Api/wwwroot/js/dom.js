// Builds the page from data without ever parsing data as HTML: text becomes text nodes and
// attribute values go through setAttribute, so nothing the API returns can turn into markup.

const SVG_NAMESPACE = 'http://www.w3.org/2000/svg';

/** el('a', { href: '#/', class: 'brand' }, 'text', childNode, [more]) */
export function el(tag, attributes = {}, ...children) {
  return build(document.createElement(tag), attributes, children);
}

export function svg(tag, attributes = {}, ...children) {
  return build(document.createElementNS(SVG_NAMESPACE, tag), attributes, children);
}

/** Replaces every child of node with children. */
export function replaceChildren(node, ...children) {
  node.replaceChildren(...flatten(children));
}

function build(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) {
      continue;
    }

    if (name.startsWith('on') && typeof value === 'function') {
      node.addEventListener(name.slice(2), value);
    } else {
      node.setAttribute(name, value === true ? '' : String(value));
    }
  }

  node.append(...flatten(children));
  return node;
}

function flatten(children) {
  return children
    .flat(Infinity)
    .filter((child) => child !== null && child !== undefined && child !== false)
    .map((child) => (child instanceof Node ? child : String(child)));
}
