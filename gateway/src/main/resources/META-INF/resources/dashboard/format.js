// Small DOM and number helpers. Text always goes in through textContent, never as HTML.

/** An element with attributes/properties and children (strings become text). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'class') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child !== undefined && child !== null) {
      node.append(child instanceof Node ? child : String(child));
    }
  }
  return node;
}

/** An accuracy in percent with two decimals, e.g. 66.67; '' when absent. */
export function pct(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value.toFixed(2) : '';
}

/** An integer with thousands separators; '' when absent. */
export function int(value) {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '';
}

/** A count in compact form: 73.7K, 1.2M. */
export function compact(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return '';
  }
  return new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** Long ids (checkpoint ids are content digests) cut for a table cell; the full id goes in a title. */
export function shortId(id, keep = 14) {
  return id && id.length > keep + 1 ? id.slice(0, keep) + '…' : id || '';
}

/** Calls fn at most once per {@code ms}, after the last of a burst of calls. */
export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}
