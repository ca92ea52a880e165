// Deputy's page snapshot: one walk over a frame's rendered DOM (open shadow roots included) that returns
// the compact lines the model reads, the interactive elements with their refs, and the material of the
// page's fingerprint. snapshot.py runs it in Deputy's isolated world of each frame, where the page's
// scripts cannot see it or patch what it calls; what it keeps between snapshots lives on that world's
// global `__deputy`, which the page cannot reach either.
(args) => {
  const MAX_NAME = 100;
  const MAX_VALUE = 120;
  const MAX_TEXT = 400;
  const MAX_CONTEXT = 80;
  // A name this long, given to several elements, is printed once; the others refer to the first.
  const LONG_NAME = 40;
  // A box no taller than this is one visual line (a toolbar, a log line): its parts share one text line.
  const ONE_LINE = 48;
  // An icon: a box no bigger than this either way, drawn rather than written.
  const ICON_MAX = 64;
  const ICON_MIN = 8;
  const REF_ATTR = 'data-deputy-ref';
  const LIST_ATTR = 'data-deputy-list';
  const FRAME_ATTR = 'data-deputy-frame';
  const ATTR_OF = { e: REF_ATTR, L: LIST_ATTR, f: FRAME_ATTR };
  const maxItems = args.maxItems;
  const expand = new Set(args.expand);
  const next = { e: args.next.e, l: args.next.l, f: args.next.f };

  // Which element carries which mark is known here, not read from the page: a mark found on any other
  // element (copied by cloneNode, or written by the page to impersonate a ref) is taken off it.
  const W = (globalThis.__deputy ??= {});
  W.markOf ??= new WeakMap();
  W.byMark ??= new Map();
  W.roots ??= new Set();
  W.listened ??= new WeakSet();
  const attrOf = (mark) => ATTR_OF[mark[0]];
  const deepAll = (selector) => {
    const found = [...document.querySelectorAll(selector)];
    for (const ref of W.roots) {
      const root = ref.deref();
      if (root && root.host && root.host.isConnected) found.push(...root.querySelectorAll(selector));
      else W.roots.delete(ref);
    }
    return found;
  };
  W.restamp = (el, mark) => {
    const attr = attrOf(mark);
    for (const other of deepAll(`[${attr}="${mark}"]`)) if (other !== el) other.removeAttribute(attr);
    if (el.getAttribute(attr) !== mark) el.setAttribute(attr, mark);
  };
  for (const attr of Object.values(ATTR_OF)) {
    for (const el of deepAll(`[${attr}]`)) {
      const mark = el.getAttribute(attr);
      if (W.byMark.get(mark)?.deref() !== el) el.removeAttribute(attr);
    }
  }
  for (const [mark, ref] of W.byMark) if (!ref.deref()?.isConnected) W.byMark.delete(mark);

  const SKIP = new Set(['script', 'style', 'noscript', 'template', 'head', 'meta', 'link', 'title', 'base',
    'datalist', 'option', 'optgroup', 'param', 'source', 'track', 'map', 'area', 'canvas', 'video', 'audio',
    'object', 'embed']);
  const INTERACTIVE_ROLES = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem',
    'menuitemcheckbox', 'menuitemradio', 'option', 'combobox', 'textbox', 'searchbox', 'slider',
    'spinbutton', 'treeitem']);
  const CHECKABLE = new Set(['checkbox', 'radio', 'switch', 'menuitemcheckbox', 'menuitemradio']);
  const VALUED = new Set(['textbox', 'searchbox', 'combobox', 'spinbutton', 'slider']);
  const INPUT_ROLES = { button: 'button', submit: 'button', reset: 'button', image: 'button', file: 'button',
    color: 'button', checkbox: 'checkbox', radio: 'radio', range: 'slider', number: 'spinbutton',
    search: 'searchbox' };
  const SHOWN_TYPES = new Set(['email', 'password', 'tel', 'url', 'date', 'datetime-local', 'month', 'week',
    'time', 'file', 'color']);
  const NAME_FROM_CONTENT = new Set(['button', 'link', 'checkbox', 'radio', 'switch', 'tab', 'menuitem',
    'menuitemcheckbox', 'menuitemradio', 'option', 'treeitem', 'heading', 'cell', 'row', 'clickable']);
  const LANDMARKS = { nav: 'navigation', main: 'main', aside: 'complementary', search: 'search' };
  // Containers printed as a header line with their content indented below.
  const SECTION_ROLES = new Set(['banner', 'navigation', 'main', 'complementary', 'contentinfo', 'search',
    'region', 'dialog', 'alertdialog', 'toolbar', 'menu', 'menubar', 'tablist', 'radiogroup', 'listbox',
    'tree', 'article']);
  // Containers that tell two same-named elements apart (ElementInfo.context).
  const CONTEXT_ROLES = new Set([...SECTION_ROLES, 'row', 'listitem', 'form', 'group', 'table', 'grid',
    'section']);
  const ITEM_ROLES = new Set(['row', 'listitem', 'option', 'treeitem', 'article', 'menuitem', 'tab']);
  const ITEM_TAGS = new Set(['li', 'tr', 'dt', 'dd', 'article']);
  // Context names come from text and from names people read (links, rows), not from controls' labels.
  const READ_ROLES = new Set(['link', 'clickable', 'row', 'cell', 'treeitem', 'option', 'tab', 'menuitem']);
  const SEP = '\u0001';

  const styles = new Map();
  const css = (el) => {
    let s = styles.get(el);
    if (s === undefined) {
      s = getComputedStyle(el);
      styles.set(el, s);
    }
    return s;
  };
  // Invisible format characters are dropped so they cannot split words or disguise text.
  const clean = (s) => s.replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g, '')
    .replace(/\s+/g, ' ').trim();
  const cut = (s, n) => (s.length > n ? `${s.slice(0, n - 1).trimEnd()}…` : s);
  // Page text that imitates an element line ("[e7] button ...") must not read as one.
  const neutral = (s) => s.replace(/\[(e\d+)\]/gi, '($1)');
  const quote = (s) => `"${neutral(s).replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  const roleAttr = (el) => {
    const r = el.getAttribute('role');
    return r ? r.trim().split(/\s+/)[0].toLowerCase() : '';
  };
  const isInline = (s) => s.display.startsWith('inline') || s.display === 'contents';

  // Children in the rendered (flat) tree: a host's open shadow root, a slot's assigned nodes.
  W.rootSeen ??= new WeakSet();
  const kidsOf = (n) => {
    if (n.shadowRoot) {
      if (!W.rootSeen.has(n.shadowRoot)) {
        W.rootSeen.add(n.shadowRoot);
        W.roots.add(new WeakRef(n.shadowRoot));
      }
      return n.shadowRoot.childNodes;
    }
    if (n.localName === 'slot') {
      const assigned = n.assignedNodes({ flatten: true });
      return assigned.length ? assigned : n.childNodes;
    }
    if (n.localName === 'details' && !n.open) {
      const summary = [...n.children].find((c) => c.localName === 'summary');
      return summary ? [summary] : [];
    }
    return n.childNodes;
  };
  const parentOf = (el) => el.parentElement || (el.parentNode && el.parentNode.host) || null;

  const hiddenForName = (el) => {
    if (el.getAttribute('aria-hidden') === 'true') return true;
    const s = css(el);
    return s.display === 'none' || s.visibility === 'hidden' || s.visibility === 'collapse';
  };

  // Text of a subtree as an accessible name computes it: hidden parts skipped, images by their alt.
  const textOf = (node, includeHidden, exclude) => {
    let out = '';
    const visit = (n) => {
      for (const c of kidsOf(n)) {
        if (c.nodeType === Node.TEXT_NODE) {
          out += c.data;
          continue;
        }
        if (c.nodeType !== Node.ELEMENT_NODE || c === exclude) continue;
        const tag = c.localName;
        if (SKIP.has(tag) || (!includeHidden && hiddenForName(c))) continue;
        const label = c.getAttribute('aria-label');
        if (label && label.trim()) {
          out += ` ${label} `;
        } else if (tag === 'img') {
          out += ` ${c.getAttribute('alt') || c.getAttribute('title') || ''} `;
        } else if (tag === 'svg') {
          const title = c.querySelector('title');
          if (title) out += ` ${title.textContent} `;
        } else if (tag === 'input') {
          if (['button', 'submit', 'reset'].includes(c.type)) out += ` ${c.value} `;
        } else if (tag !== 'select' && tag !== 'textarea') {
          const block = !isInline(css(c));
          if (block) out += ' ';
          visit(c);
          if (block) out += ' ';
        }
      }
    };
    visit(node);
    return clean(out);
  };

  const byId = (el, id) => {
    const root = el.getRootNode();
    return root.getElementById ? root.getElementById(id) : document.getElementById(id);
  };

  const nameOf = (el, role, tag) => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) {
      const parts = labelledBy.trim().split(/\s+/).map((id) => {
        const target = byId(el, id);
        if (!target) return '';
        return target === el ? textOf(el, false) : target.getAttribute('aria-label') || textOf(target, true);
      });
      const t = clean(parts.join(' '));
      if (t) return t;
    }
    const label = el.getAttribute('aria-label');
    if (label && label.trim()) return clean(label);
    if (tag === 'input') {
      if (el.type === 'submit' || el.type === 'reset' || el.type === 'button') {
        const v = clean(el.value || '');
        if (v || el.type === 'button') return v;
        return el.type === 'submit' ? 'Submit' : 'Reset';
      }
      if (el.type === 'image') return clean(el.alt || el.title || 'Submit');
    }
    if (el.labels && el.labels.length && tag !== 'button') {
      const t = clean([...el.labels].map((l) => textOf(l, false, el)).join(' '));
      if (t) return t;
    }
    if (tag === 'img') return clean(el.getAttribute('alt') || el.getAttribute('title') || '');
    if (tag === 'fieldset') {
      const legend = [...el.children].find((c) => c.localName === 'legend');
      if (legend) return textOf(legend, false);
    }
    if (tag === 'table' && el.caption) return textOf(el.caption, false);
    const title = clean(el.getAttribute('title') || '');
    if (NAME_FROM_CONTENT.has(role) || tag === 'button' || tag === 'summary') {
      const t = textOf(el, false);
      // An icon glyph ("★", "×") says less than the title the page gave its button.
      if (t && !(title && !/[\p{L}\p{N}]/u.test(t))) return t;
    }
    if (title) return title;
    const placeholder = el.getAttribute('placeholder') || el.getAttribute('aria-placeholder');
    return placeholder ? clean(placeholder) : '';
  };

  // [role, generic]: generic when only a handler, tabindex or pointer cursor says it can be clicked.
  // A small box drawn rather than written (a background image, an icon font, an SVG): an icon.
  const iconLike = (el, tag, s, rect) => {
    if (rect.width < ICON_MIN || rect.height < ICON_MIN || rect.width > ICON_MAX || rect.height > ICON_MAX) return false;
    if (tag === 'img' || tag === 'svg') return true;
    for (const c of el.children) if (!['svg', 'img', 'i', 'span', 'use'].includes(c.localName) || c.children.length > 2) return false;
    if (/[\p{L}\p{N}]{3,}/u.test(el.textContent || '') && !/icon|material|glyph|symbol/i.test(el.className || '')) return false;
    if (s.backgroundImage !== 'none' || (s.maskImage && s.maskImage !== 'none')) return true;
    if (s.webkitMaskImage && s.webkitMaskImage !== 'none') return true;
    if (el.querySelector('svg, img')) return true;
    const glyph = (p) => {
      const c = getComputedStyle(el, p).content;
      return c && c !== 'none' && c !== 'normal' && c !== '""';
    };
    return glyph('::before') || glyph('::after') || /^[^\p{L}\p{N}\s]{1,2}$/u.test(clean(el.textContent || ''));
  };

  // A listener on a box most of the screen big (an app's root, a whole list) says its parts may be
  // clickable (a delegated handler), not that the box is one control.
  const ownListener = (el, tag, rect) => {
    if (!W.listened.has(el) || tag === 'html' || tag === 'body') return false;
    if (tag === 'tr' || tag === 'li' || ['row', 'listitem', 'option', 'gridcell'].includes(roleAttr(el))) return true;
    return rect.width * rect.height <= 0.2 * innerWidth * innerHeight;
  };

  const repeats = new Map();
  const repeatedIn = (root, el) => {
    const cls = typeof el.className === 'string' ? el.className.trim().split(/\s+/)[0] : '';
    if (!cls) {
      const parent = parentOf(el);
      return Boolean(parent) && [...parent.children].filter((c) => c.localName === el.localName).length >= 3;
    }
    let counts = repeats.get(root);
    if (!counts) repeats.set(root, (counts = new Map()));
    if (!counts.has(cls)) counts.set(cls, root.getElementsByClassName(cls).length);
    return counts.get(cls) >= 3;
  };

  const interactiveRole = (el, tag, s, env, rect, standIn = false) => {
    const explicit = roleAttr(el);
    if (INTERACTIVE_ROLES.has(explicit)) return [explicit, false];
    switch (tag) {
      case 'a':
        if (el.hasAttribute('href')) return ['link', false];
        break;
      case 'button':
      case 'summary':
        return ['button', false];
      case 'input':
        if (el.type === 'hidden') return [null, false];
        // A control drawn invisible on top of its styled label: the label stands in for it.
        if (!standIn && el.labels && el.labels.length && unreachableControl(el)) return [null, false];
        return [INPUT_ROLES[el.type] || (el.list ? 'combobox' : 'textbox'), false];
      case 'select':
        return [el.multiple || el.size > 1 ? 'listbox' : 'combobox', false];
      case 'textarea':
        return ['textbox', false];
      case 'label': {
        const control = el.control;
        if (control) {
          // A styled control whose real input is hidden: the label is what a person clicks.
          if (unreachableControl(control)) {
            const [controlRole] = interactiveRole(control, control.localName, s, env, rect, true);
            return [controlRole, false];
          }
          return [null, false];
        }
        break;
      }
      default:
        break;
    }
    if (el.isContentEditable && !(parentOf(el) && parentOf(el).isContentEditable)) return ['textbox', false];
    const fallback = explicit && explicit !== 'none' && explicit !== 'presentation' ? explicit : 'clickable';
    if (el.hasAttribute('onclick')) return [fallback, true];
    const tabindex = el.getAttribute('tabindex');
    if (tabindex !== null && Number(tabindex) >= 0) return [fallback, true];
    // Inside a control, a listener or a pointer belongs to the control: it is not a second one.
    if (env.inControl) return [null, false];
    if (ownListener(el, tag, rect)) return [fallback, 'listener'];
    if (s.cursor === 'pointer' && tag !== 'html' && tag !== 'body') {
      const parent = parentOf(el);
      if (!parent || css(parent).cursor !== 'pointer') return [fallback, true];
    }
    // An icon where a script listens above it, or under a pointer: the row's star, trash and reply.
    if ((s.cursor === 'pointer' || env.delegated) && iconLike(el, tag, s, rect)) return [fallback, true];
    // One of many alike short items under a box that listens for them (a calendar's days, a menu's entries).
    if (env.delegateRoot && env.delegateRoot !== el && !el.children.length && repeatedIn(env.delegateRoot, el)) {
      const text = clean(el.textContent || '');
      if (text && text.length <= 40) return [fallback, true];
    }
    return [null, false];
  };

  const statesOf = (el, role, tag) => {
    // A label standing in for its hidden control reports the control's state.
    const src = tag === 'label' && el.control ? el.control : el;
    const srcTag = src.localName;
    const aria = (n) => src.getAttribute(n) ?? el.getAttribute(n);
    const st = {};
    if (CHECKABLE.has(role)) {
      if (srcTag === 'input' && (src.type === 'checkbox' || src.type === 'radio')) {
        if (src.indeterminate) st.checked = 'mixed';
        else if (src.checked) st.checked = true;
      } else if (aria('aria-checked') === 'true') st.checked = true;
      else if (aria('aria-checked') === 'mixed') st.checked = 'mixed';
    }
    // Only a real `disabled` stops clicks; aria-disabled is a claim many webmails leave on controls that work.
    if (src.matches(':disabled')) st.disabled = true;
    else if (el.closest('[aria-disabled="true"]')) st.disabled = 'aria';
    const expanded = aria('aria-expanded');
    if (expanded === 'true' || expanded === 'false') st.expanded = expanded === 'true';
    else if (tag === 'summary' && parentOf(el) && parentOf(el).localName === 'details') {
      st.expanded = parentOf(el).open;
    }
    if (aria('aria-selected') === 'true') st.selected = true;
    const pressed = aria('aria-pressed');
    if (pressed === 'true' || pressed === 'false') st.pressed = pressed === 'true';
    else if (pressed === 'mixed') st.pressed = 'mixed';
    if (VALUED.has(role)) {
      let value = '';
      if (srcTag === 'select') {
        value = [...src.selectedOptions].map((o) => clean(o.label || o.text)).join(', ');
      } else if (srcTag === 'input' || srcTag === 'textarea') {
        // Secrets never go to the model; only whether something was typed.
        value = src.type === 'password' && src.value ? '••••••••' : clean(src.value);
      } else if (src.isContentEditable) {
        value = clean(src.innerText || '');
      } else {
        value = clean(aria('aria-valuetext') || aria('aria-valuenow') || '');
      }
      if (value) st.value = cut(value, MAX_VALUE);
    }
    if (src.required || aria('aria-required') === 'true') st.required = true;
    const invalid = aria('aria-invalid');
    if ((invalid && invalid !== 'false') || src.matches(':user-invalid')) st.invalid = true;
    const current = aria('aria-current');
    if (current && current !== 'false') st.current = current === 'true' ? true : current;
    return st;
  };

  const formOf = (el, tag) => {
    const src = tag === 'label' && el.control ? el.control : el;
    const form = src.form || el.closest('form');
    if (!form) return [null, null];
    // Read attributes, not form.method/form.action: a field named "action" would shadow those.
    const submitter = src.localName === 'button' || (src.localName === 'input' && /submit|image/.test(src.type));
    const method = (submitter && src.getAttribute('formmethod')) || form.getAttribute('method') || 'get';
    const override = submitter ? src.getAttribute('formaction') : null;
    const action = override ?? form.getAttribute('action') ?? '';
    let url = action;
    try {
      url = new URL(action, document.baseURI).href;
    } catch {
      // Keep the page's own string when it is not a URL.
    }
    return [method.toLowerCase(), url];
  };

  const hrefOf = (el) => {
    const href = el.getAttribute('href');
    if (href === null) return null;
    try {
      return new URL(href, document.baseURI).href;
    } catch {
      return href;
    }
  };

  // The role a non-interactive container plays in the snapshot, or '' for a plain box.
  const containerRole = (el, tag, sectioning) => {
    const explicit = roleAttr(el);
    if (explicit === 'none' || explicit === 'presentation' || explicit === 'generic') return '';
    if (explicit) return explicit;
    if (/^h[1-6]$/.test(tag)) return 'heading';
    if (LANDMARKS[tag]) return LANDMARKS[tag];
    if (tag === 'header' && !sectioning) return 'banner';
    if (tag === 'footer' && !sectioning) return 'contentinfo';
    if (tag === 'section') return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : 'section';
    if (tag === 'dialog') return 'dialog';
    if (tag === 'form') return 'form';
    if (tag === 'fieldset') return 'group';
    if (tag === 'li') return 'listitem';
    if (tag === 'tr') return 'row';
    if (tag === 'table') return 'table';
    if (tag === 'article') return 'article';
    if (tag === 'menu') return 'list';
    return '';
  };

  const headingText = (el) => {
    const h = el.querySelector('h1, h2, h3, h4, h5, h6, [role="heading"]');
    return h && !hiddenForName(h) ? textOf(h, false) : '';
  };

  // The material of the fingerprint: every visible text and element, summarised lists included.
  const material = [];
  let modal = null;
  try {
    modal = document.querySelector(':modal');
  } catch {
    // A browser without :modal has no modal dialogs to honour either.
  }

  // What a walk inherits from above: `ctx` the nearest context container; `quiet` inside something whose
  // name already carries this text (a button, a control's label); `unreachable` inside a box clipped to
  // nothing (screen-reader-only text), which is read but holds nothing a pointer can click; `scroller`
  // inside a scrolling box, where being above or left of the page can mean "scrolled past".
  const walkKids = (parent, env, visible) => {
    const out = [];
    for (const c of kidsOf(parent)) {
      if (c.nodeType === Node.TEXT_NODE) {
        if (env.quiet || !visible) continue;
        const t = clean(c.data);
        if (t) {
          out.push({ k: 't', s: t });
          material.push(`t ${t}`);
        }
      } else if (c.nodeType === Node.ELEMENT_NODE) {
        const node = walkEl(c, env);
        if (node) out.push(node);
      }
    }
    return out;
  };

  // A control counts as hidden (so its label stands in for it) when a pointer could not reach it.
  const unreachableControl = (control) => {
    if (!control.checkVisibility()) return true;
    const rect = control.getBoundingClientRect();
    if (rect.width <= 1 || rect.height <= 1) return true;
    const s = css(control);
    if (s.opacity === '0' || s.clip === 'rect(0px, 0px, 0px, 0px)' || /inset\((50|100)%/.test(s.clipPath)) return true;
    // Parked off the page where no scrolling reaches it.
    return rect.right + scrollX <= 0 || rect.bottom + scrollY <= 0;
  };

  // One control is listed once: a tab or menu item wrapping a link (or a link wrapping a button) is the
  // inner element, which is what a click lands on, with the outer one's role and states.
  const WIDGET_ROLES = new Set(['tab', 'menuitem', 'menuitemcheckbox', 'menuitemradio', 'option', 'treeitem',
    'checkbox', 'radio', 'switch']);
  const soleControl = (node) => {
    const found = [];
    const collect = (kids) => {
      for (const k of kids) {
        if (k.k === 'e') found.push(k);
        else if (k.k === 'f') found.push(k, k);
        else if (k.kids) collect(k.kids);
      }
    };
    collect(node.kids);
    if (found.length !== 1) return null;
    const inner = found[0];
    if (inner.container || inner.row || (inner.name && node.name && inner.name !== node.name && !node.guessed)) {
      return null;
    }
    if (WIDGET_ROLES.has(node.role) || (inner.role === 'clickable' && node.role !== 'clickable')) inner.role = node.role;
    inner.states = { ...node.states, ...inner.states };
    if (!inner.name || inner.guessed) {
      inner.name = node.name;
      inner.guessed = node.guessed;
    }
    inner.block = node.block;
    return inner;
  };

  // Words that say what an icon does, as pages write them in class names, icon names and tooltips.
  const ACTION_WORDS = new Set(['star', 'unstar', 'trash', 'delete', 'remove', 'reply', 'replyall', 'forward',
    'archive', 'close', 'clear', 'search', 'menu', 'more', 'edit', 'share', 'like', 'favorite', 'favourite',
    'bookmark', 'download', 'upload', 'print', 'settings', 'refresh', 'reload', 'add', 'plus', 'minus', 'next',
    'prev', 'previous', 'back', 'expand', 'collapse', 'copy', 'send', 'attach', 'flag', 'pin', 'mute', 'play',
    'pause', 'stop', 'spam', 'snooze', 'label', 'tag', 'calendar', 'cancel', 'save', 'filter', 'sort', 'info',
    'help', 'user', 'profile', 'account', 'notifications', 'bell', 'cart', 'home', 'check', 'swap', 'toggle',
    'dropdown', 'caret', 'open', 'zoom', 'locate', 'location', 'geolocation', 'gps', 'mic', 'camera', 'emoji',
    'comment', 'chat', 'message', 'mail', 'call', 'video', 'left', 'right', 'up', 'down', 'first', 'last',
    'undo', 'redo', 'bold', 'italic', 'link', 'unlink', 'image', 'upvote', 'downvote', 'vote', 'follow',
    'subscribe', 'hide', 'show', 'view', 'visibility', 'lock', 'unlock', 'logout', 'login', 'exit', 'move',
    'important', 'mark', 'read', 'unread', 'select', 'drag', 'grip', 'kebab', 'ellipsis', 'hamburger', 'dismiss',
    'reset', 'erase', 'apply', 'submit', 'confirm', 'ok', 'yes', 'no', 'new', 'create', 'compose', 'notes']);
  const GLYPHS = { '×': 'close', '✕': 'close', '✖': 'close', '⨯': 'close', '✗': 'close', '☆': 'star', '★': 'star',
    '⋮': 'more', '⋯': 'more', '…': 'more', '+': 'add', '−': 'minus', '✎': 'edit', '✏': 'edit', '↻': 'refresh',
    '⟳': 'refresh', '☰': 'menu', '⚙': 'settings', '‹': 'previous', '›': 'next', '«': 'first', '»': 'last',
    '←': 'back', '→': 'next', '▾': 'expand', '▼': 'expand', '✓': 'check', '✔': 'check' };
  const wordsIn = (text) => (text || '').replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().split(/[^a-z]+/)
    .filter((w) => ACTION_WORDS.has(w));
  const guessName = (el) => {
    // What a person sees when they point at it: a tooltip, an icon's own title or alternative text.
    for (const attr of ['data-tooltip', 'data-title', 'data-original-title', 'data-tip', 'data-label', 'tooltip']) {
      const t = clean(el.getAttribute(attr) || '');
      if (t) return t;
    }
    const titled = el.querySelector('[title], img[alt], svg title, [aria-label]');
    if (titled) {
      const t = clean(titled.localName === 'title' ? titled.textContent : titled.getAttribute('aria-label')
        || titled.getAttribute('title') || titled.getAttribute('alt') || '');
      if (t) return t;
    }
    // A label right beside it that points at nothing else.
    const parent = parentOf(el);
    if (parent && parent.children.length === 1) {
      const t = clean(parent.getAttribute('aria-label') || parent.getAttribute('title') || '');
      if (t) return t;
    }
    // Last: what the page called it in code, from a list of words that say what icons do.
    const glyph = GLYPHS[clean(el.textContent || '')];
    const sources = [el.getAttribute('data-icon'), el.getAttribute('data-action'), el.id, String(el.className?.baseVal ?? el.className),
      ...[...el.querySelectorAll('*')].slice(0, 4).map((c) => `${c.getAttribute('href') || ''} ${c.getAttribute('xlink:href') || ''} ${String(c.className?.baseVal ?? c.className)} ${c.getAttribute('data-icon') || ''}`)];
    const words = [...new Set(sources.flatMap(wordsIn))];
    if (words.length) return words.slice(0, 2).join(' ');
    return glyph || '';
  };

  const walkEl = (el, env) => {
    const tag = el.localName;
    if (SKIP.has(tag) || el.getAttribute('aria-hidden') === 'true' || el.hasAttribute('inert')) return null;
    // Behind a modal <dialog> the page is inert: nothing there can be clicked.
    if (modal && !env.modal) {
      if (el === modal) env = { ...env, modal: true };
      else if (!el.contains(modal)) return null;
    }
    const s = css(el);
    if (s.display === 'none') return null;
    // Transparent and click-through: a closed menu or tooltip kept in the DOM.
    if (s.opacity === '0' && s.pointerEvents === 'none') return null;
    const box = s.display !== 'contents';
    const rect = el.getBoundingClientRect();
    const clips = s.overflowX !== 'visible' && s.overflowY !== 'visible';
    if (box) {
      if ((rect.width === 0 && s.overflowX !== 'visible') || (rect.height === 0 && s.overflowY !== 'visible')) {
        return null;
      }
      // Parked before the start of the page (skip links, off-canvas drawers): nobody can scroll to it.
      const left = rect.width > 0 && rect.right + window.scrollX <= 0;
      const above = rect.height > 0 && rect.bottom + (s.position === 'fixed' ? 0 : window.scrollY) <= 0;
      if (!env.scroller && (left || above)) return null;
      if (env.scroller && left && (s.position === 'absolute' || s.position === 'fixed' || s.transform !== 'none')) {
        return null;
      }
      const srOnly = (clips && (rect.width <= 1 || rect.height <= 1)) || s.clip === 'rect(0px, 0px, 0px, 0px)';
      const scroller = /auto|scroll/.test(s.overflowX + s.overflowY);
      if ((srOnly && !env.unreachable) || (scroller && !env.scroller)) {
        env = { ...env, unreachable: env.unreachable || srOnly, scroller: env.scroller || scroller };
      }
    }
    const visible = s.visibility === 'visible';
    const sized = box && rect.width > 0 && rect.height > 0;
    const block = !isInline(s);
    if (tag === 'iframe' || tag === 'frame') {
      if (!sized || !visible || env.unreachable) return null;
      material.push('f');
      return { k: 'f', el, title: clean(el.getAttribute('title') || el.getAttribute('name') || '') };
    }
    const sectioning = env.sectioning || ['article', 'aside', 'main', 'nav', 'section'].includes(tag);
    if (sectioning !== env.sectioning) env = { ...env, sectioning };
    if (W.listened.has(el) && tag !== 'html' && tag !== 'body') {
      // Only a small listening box (a calendar, a menu) vouches for the alike items in it; a page-sized one
      // (an app's root) says only that icons in it may be live.
      const small = rect.width * rect.height <= 0.2 * innerWidth * innerHeight;
      env = { ...env, delegated: true, delegateRoot: small ? el : null };
    }
    const [role, generic] = visible && sized && !env.unreachable ? interactiveRole(el, tag, s, env, rect) : [null, false];
    if (!role && (tag === 'img' || tag === 'svg' || roleAttr(el) === 'img')) {
      // A picture says what its alternative text says; a chart drawn in SVG is named like any element.
      const alt = visible ? clean(tag === 'img' ? el.getAttribute('alt') || '' : nameOf(el, 'img', tag)) : '';
      if (!alt || env.quiet) return null;
      material.push(`i ${alt}`);
      return { k: 'i', s: alt };
    }
    if (role) {
      const rowish = ((tag === 'tr' || tag === 'li') && !WIDGET_ROLES.has(role)) || role === 'row' || role === 'listitem';
      const node = { k: 'e', el, tag, role, block, ctx: env.ctx, kids: [] };
      node.name = cut(nameOf(el, role, tag), MAX_NAME);
      if (!/[\p{L}\p{N}]/u.test(node.name) && !['textbox', 'searchbox', 'combobox'].includes(role)) {
        // No name a person could read (nothing, or a glyph like "×"): say what the icon shows, as a guess.
        const guess = guessName(el);
        if (guess) {
          node.name = cut(guess, MAX_NAME);
          node.guessed = true;
        }
      }
      node.states = statesOf(el, role, tag);
      // A clickable container (a mail row with a click handler) shows its content like any row.
      node.container = generic && block;
      node.row = rowish;
      if (tag === 'select') {
        node.options = [...el.options].filter((o) => !o.hidden).map((o) => clean(o.label || o.text));
      }
      if (tag === 'input' && SHOWN_TYPES.has(el.type)) node.type = el.type;
      material.push(`e ${role} ${node.name} ${JSON.stringify(node.states)} ${node.options || ''}`);
      // Controls hold no further elements; other interactive elements may (a checkbox in a clickable row).
      if (!['input', 'select', 'textarea'].includes(tag) && !el.isContentEditable) {
        const ctxRole = tag === 'li' || role === 'listitem' ? 'listitem' : rowish ? 'row' : role;
        const ctx = node.row || node.container ? { role: ctxRole, node, parent: env.ctx } : env.ctx;
        const inControl = env.inControl || !(node.container || node.row);
        node.kids = walkKids(el, { ...env, ctx, quiet: env.quiet || !node.container, inControl }, visible);
        const merged = !node.container && !node.row && soleControl(node);
        if (merged) return merged;
        if (generic === 'listener' && !rowish && node.kids.some((k) => k.k === 'e' || k.k === 'f' || k.hasE)) {
          // Controls of its own inside: the listener is a delegated one, and the box is no control itself.
          material.pop();
          return walkBox(el, tag, env, rect, block, visible);
        }
        // A clickable box holding only a short text is one element, named by that text.
        const simple = !node.kids.some((k) => k.k === 'e' || k.k === 'f' || k.hasE);
        if (node.container && !rowish && simple && node.name.length < MAX_NAME) {
          node.container = false;
          node.kids = [];
        } else if (node.container && !el.hasAttribute('aria-label') && !el.hasAttribute('aria-labelledby')) {
          node.name = cut(joinParts(plain(node, [], true)), MAX_NAME);
        }
      }
      return node;
    }
    return walkBox(el, tag, env, rect, block, visible);
  };

  const walkBox = (el, tag, env, rect, block, visible) => {
    const crole = containerRole(el, tag, env.sectioning);
    const node = { k: 'b', el, tag, role: crole, block, kids: [], short: rect.height <= ONE_LINE };
    let ctx = env.ctx;
    if (CONTEXT_ROLES.has(crole)) {
      ctx = { role: crole, node, parent: env.ctx };
      if (['section', 'article', 'dialog', 'alertdialog', 'region'].includes(crole)) {
        node.name = nameOf(el, crole, tag) || headingText(el);
      } else if (crole !== 'row' && crole !== 'listitem') {
        node.name = nameOf(el, crole, tag);
      }
      ctx.name = node.name;
    }
    if (crole === 'heading') {
      node.level = Number(el.getAttribute('aria-level')) || Number(tag.slice(1)) || 2;
    }
    // The text of a label, legend or caption is already the name of what it labels.
    const donor = tag === 'legend' || tag === 'caption' || (tag === 'label' && el.control && !unreachableControl(el.control));
    const quiet = env.quiet || donor;
    node.kids = walkKids(el, ctx !== env.ctx || quiet !== env.quiet ? { ...env, ctx, quiet } : env, visible);
    if (!node.kids.length) return null;
    node.hasE = node.kids.some((k) => k.k === 'e' || k.hasE);
    return node;
  };

  // Names for contexts: a row is named by what a person reads in it, cells apart.
  const plain = (node, acc, top) => {
    if (node.k === 't' || node.k === 'i') acc.push(node.s);
    else if (node.k === 'e' && !(node.container && top)) {
      if (READ_ROLES.has(node.role) && node.name) acc.push(node.name);
    } else if (node.k === 'b' || node.k === 'e') {
      if (node.block) acc.push(SEP);
      for (const k of node.kids) plain(k, acc, false);
      if (node.block) acc.push(SEP);
    }
    return acc;
  };
  const joinParts = (parts) => parts.join(' ').split(SEP).map(clean).filter(Boolean).join(' — ');
  const ctxName = (c) => {
    if (c.name === undefined) {
      const n = c.node;
      c.name = n.k === 'e' && !n.container ? n.name : joinParts(plain(n, [], true));
    }
    return c.name;
  };
  const describe = (c) => {
    const name = ctxName(c);
    return name ? `${c.role} ${quote(cut(name, MAX_CONTEXT))}` : c.role;
  };
  const contextOf = (ctx) => {
    if (!ctx) return '';
    let text = describe(ctx);
    if (!ctxName(ctx)) {
      for (let c = ctx.parent; c; c = c.parent) {
        if (ctxName(c)) {
          text += ` in ${describe(c)}`;
          break;
        }
      }
    }
    return text;
  };
  const dialogOf = (ctx) => {
    for (let c = ctx; c; c = c.parent) {
      if (c.role === 'dialog' || c.role === 'alertdialog') return ctxName(c) || c.role;
    }
    return null;
  };

  const mark = (el, attr, prefix) => {
    const marks = W.markOf.get(el) || {};
    let current = marks[prefix];
    if (!current) {
      current = `${prefix}${next[prefix.toLowerCase()]++}`;
      marks[prefix] = current;
      W.markOf.set(el, marks);
      W.byMark.set(current, new WeakRef(el));
    }
    if (el.getAttribute(attr) !== current) el.setAttribute(attr, current);
    return current;
  };

  // Rendering: lines of [indent, text], or [indent, null, frameId, header] where a child frame goes.
  const lines = [];
  const elements = [];
  const longNames = new Map();
  const frames = [];
  let indent = 0;
  let cur = '';
  let prefix = '';
  let inRow = false;
  let headDepth = 0;
  const sections = [];

  const add = (s) => {
    cur += s;
  };
  const flush = () => {
    // Punctuation right after an element stays attached to it, as on the page: 'in [e9] link "settings".'
    const t = cur.split(SEP).map(clean).filter(Boolean).join(' | ').replace(/(\[e\d+\] [^|]*?") ([.,;:!?)])/g, '$1$2');
    if (t) {
      lines.push([prefix ? indent - 1 : indent, prefix + t]);
      prefix = '';
    }
    cur = '';
  };
  const brk = () => {
    if (headDepth) add(' ');
    else if (inRow) add(SEP);
    else flush();
  };

  // `bare`: the element's content follows on its line, so its name would only repeat it.
  const elementLine = (n, bare) => {
    const ref = mark(n.el, REF_ATTR, 'e');
    let s = `[${ref}] ${n.role}`;
    if (n.name && !bare) {
      const first = n.name.length >= LONG_NAME ? longNames.get(n.name) : undefined;
      if (first && first !== ref) s += ` (name as ${first})`;
      else {
        if (n.name.length >= LONG_NAME) longNames.set(n.name, ref);
        s += ` ${quote(n.name)}`;
      }
      if (n.guessed) s += ' guessed';
    }
    if (n.type) s += ` type=${n.type}`;
    for (const [k, v] of Object.entries(n.states)) {
      if (v === true) s += ` ${k}`;
      else if (v === false) s += ` ${k}=false`;
      else s += ` ${k}=${quote(String(v))}`;
    }
    if (n.options && n.options.length) {
      let shown = n.options;
      let rest = '';
      if (shown.length > maxItems) {
        const id = mark(n.el, LIST_ATTR, 'L');
        if (!expand.has(id)) {
          rest = ` … ${shown.length - maxItems} more in list ${id} (expand=["${id}"])`;
          shown = shown.slice(0, maxItems);
        }
      }
      s += ` options: ${shown.map((o) => quote(cut(o, MAX_NAME))).join(', ')}${rest}`;
    }
    const [formMethod, formAction] = formOf(n.el, n.tag);
    elements.push({
      ref, role: n.role, name: n.name, tag: n.tag, states: n.states, context: contextOf(n.ctx),
      dialog: dialogOf(n.ctx), form_method: formMethod, form_action: formAction,
      href: n.tag === 'a' || n.tag === 'area' ? hrefOf(n.el) : null, guessed: Boolean(n.guessed),
    });
    return s;
  };

  // A container whose repeated items outnumber maxItems shows the first ones and a line to expand it.
  const summaryOf = (node) => {
    if (node.kids.length <= maxItems) return null;
    const counts = new Map();
    for (const k of node.kids) {
      if (k.k !== 'e' && !(k.k === 'b' && (ITEM_TAGS.has(k.tag) || ITEM_ROLES.has(k.role) || k.hasE))) continue;
      const sig = `${k.k}:${k.tag}:${k.role}`;
      counts.set(sig, (counts.get(sig) || 0) + 1);
    }
    let best = null;
    for (const [sig, n] of counts) if (n > maxItems && (!best || n > counts.get(best))) best = sig;
    if (!best) return null;
    const id = mark(node.el, LIST_ATTR, 'L');
    if (expand.has(id)) return null;
    const rows = best.split(':')[1] === 'tr' || best.split(':')[2] === 'row';
    return { sig: best, id, noun: rows ? 'rows' : 'items' };
  };

  const checkedIn = (node) => (node.k === 'e' && node.states.checked === true ? 1 : 0)
    + (node.kids || []).reduce((sum, k) => sum + checkedIn(k), 0);

  const renderKids = (node) => {
    const summary = summaryOf(node);
    let shown = 0;
    let hidden = 0;
    let checked = 0;
    for (const k of node.kids) {
      if (summary && `${k.k}:${k.tag}:${k.role}` === summary.sig && shown++ >= maxItems) {
        hidden++;
        checked += checkedIn(k);
        continue;
      }
      render(k);
    }
    if (hidden) {
      flush();
      // Ticked rows out of sight still count: a toolbar action would touch them too.
      const ticked = checked ? ` (${checked} of them checked)` : '';
      lines.push([indent, `… ${hidden} more ${summary.noun}${ticked} in list ${summary.id}: snapshot with expand=["${summary.id}"] to see them`]);
    }
  };

  // A row is one line, "- " then its cells joined by " | "; what cannot fit (a nested list) goes below it.
  const renderRow = (node, lead) => {
    const outer = inRow;
    flush();
    prefix = '- ';
    indent++;
    inRow = true;
    if (lead) add(lead + SEP);
    renderKids(node);
    flush();
    prefix = '';
    indent--;
    inRow = outer;
  };

  const renderSection = (node, lead) => {
    const outer = inRow;
    inRow = false;
    flush();
    const at = lines.length;
    let header = node.name ? `${node.role} ${quote(cut(node.name, MAX_NAME))}:` : `${node.role}:`;
    if (lead) header = `${lead}:`;
    lines.push([prefix ? indent - 1 : indent, prefix + header]);
    prefix = '';
    indent++;
    sections.push(node.name || '');
    // A section one visual line tall (a toolbar, a top menu) reads as one line.
    inRow = Boolean(node.short);
    renderKids(node);
    inRow = false;
    flush();
    sections.pop();
    indent--;
    if (lines.length === at + 1 && !lead) lines.pop();
    // A header with a single line of content shares its line: "contentinfo: © Demo Air".
    const only = lines[at + 1];
    if (lines.length === at + 2 && only[1] !== null && only[0] === indent + 1 && !only[1].startsWith('- ')) {
      lines[at][1] += ` ${only[1]}`;
      lines.pop();
    }
    inRow = outer;
  };

  const renderHeading = (node) => {
    const marker = `${'#'.repeat(Math.min(node.level, 6))} `;
    if (inRow) {
      add(SEP + marker);
      headDepth++;
      renderKids(node);
      headDepth--;
      add(SEP);
      return;
    }
    // A section named by its heading already printed that name in its header line.
    if (!node.hasE && sections.length && joinParts(plain(node, [], true)) === sections[sections.length - 1]) return;
    flush();
    prefix = marker;
    indent++;
    headDepth++;
    renderKids(node);
    headDepth--;
    flush();
    indent--;
    prefix = '';
  };

  const render = (node) => {
    if (node.k === 't') {
      add(` ${neutral(cut(node.s, MAX_TEXT))} `);
    } else if (node.k === 'i') {
      add(` img ${quote(cut(node.s, MAX_NAME))} `);
    } else if (node.k === 'e') {
      if (node.row && !headDepth) {
        renderRow(node, elementLine(node, node.container));
        return;
      }
      if (node.container && !headDepth) {
        renderSection(node, elementLine(node, true));
        return;
      }
      // In a row every element is its own cell; in running text it stays inline.
      const edge = inRow ? SEP : ' ';
      if (node.block) brk();
      add(edge + elementLine(node, false) + edge);
      renderKids(node);
      if (node.block) brk();
    } else if (node.k === 'f') {
      flush();
      const id = mark(node.el, FRAME_ATTR, 'f');
      frames.push(id);
      lines.push([indent, null, id, node.title ? `iframe ${quote(node.title)}` : 'iframe']);
    } else if (node.role === 'heading') {
      renderHeading(node);
    } else if ((node.role === 'row' || node.role === 'listitem') && !headDepth) {
      renderRow(node, '');
    } else if (SECTION_ROLES.has(node.role) || (node.name && ['form', 'group', 'table'].includes(node.role))) {
      renderSection(node);
    } else if (node.tag === 'dt' && !inRow) {
      // A term and its definition read as one line: "Commit: c81a5e0 Add express checkout".
      flush();
      renderKids(node);
      cur = `${cur.trimEnd()}:`;
    } else if (node.tag === 'dd' && !inRow) {
      renderKids(node);
      flush();
    } else if (node.block && node.short && !inRow && !headDepth && node.kids.length > 1) {
      flush();
      inRow = true;
      renderKids(node);
      inRow = false;
      flush();
    } else {
      if (node.block) brk();
      renderKids(node);
      if (node.block) brk();
    }
  };

  const root = document.body || document.documentElement;
  // A listener on the document or its root element makes the whole page a place where delegation happens.
  const top = [document, document.documentElement, root].some((n) => n && W.listened.has(n));
  const env = {
    ctx: null, quiet: false, unreachable: false, scroller: false, sectioning: false, modal: false,
    delegated: top, delegateRoot: null, inControl: false,
  };
  const tree = root ? walkKids(root, env, css(root).visibility === 'visible') : [];
  renderKids({ kids: tree, el: root, k: 'b' });
  flush();
  // A JSON string crosses into Playwright several times faster than the same object does.
  return JSON.stringify({ title: document.title, lines, elements, frames, material: material.join('\n'), next });
};
