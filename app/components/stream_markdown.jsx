// Markdown of a text that grows while it is rendered (the answer being streamed).
//
// `cuts` (from app/states/markdown_blocks.py, in UTF-16 offsets) split the text into
// segments of finished blocks and an open tail. Each finished segment is its own
// react-markdown render, memoized on its text: it is parsed and rendered once. Only the
// tail is parsed again as tokens arrive. The element map comes from Python
// (app/components/markdown.py: no raw HTML, images as links, code blocks); Reflex builds
// a new map object on every render, so the segments get stable components that call the
// latest map's function, and React updates their DOM in place instead of remounting it.
//
// `plain` (a text offset, 0 for none) marks where the plain start of the open paragraph
// ends: no character in it can begin or end an inline construct, so it is shown as bare
// text and only the rest of the paragraph is parsed (markdown_blocks.plain_prefix).
import { createElement, memo, useContext, useMemo, useRef } from "react";
import ReactMarkdown from "react-markdown";
import { ColorModeContext } from "$/utils/context";

const Segment = memo(
  function Segment({ text, components, remarkPlugins, rehypePlugins }) {
    return (
      <ReactMarkdown
        components={components}
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
      >
        {text}
      </ReactMarkdown>
    );
  },
  // The plugins never change; `mode` (the color mode) restyles highlighted code.
  (before, after) =>
    before.text === after.text &&
    before.components === after.components &&
    before.mode === after.mode,
);

const Unwrap = ({ children }) => children;

// The open paragraph: its plain start as text, then the inline content of the rest.
function PlainTail({ plain, rest, components, mode, remarkPlugins, rehypePlugins }) {
  const inline = useMemo(() => ({ ...components, p: Unwrap }), [components]);
  const blank = rest.trim() === "";
  const children = [blank ? plain.trimEnd() : plain];
  if (!blank) {
    children.push(
      <Segment
        key="rest"
        text={rest}
        components={inline}
        mode={mode}
        remarkPlugins={remarkPlugins}
        rehypePlugins={rehypePlugins}
      />,
    );
  }
  return components.p ? createElement(components.p, { children }) : <p>{children}</p>;
}

function useStableComponents(components) {
  const latest = useRef(components);
  latest.current = components;
  const tags = Object.keys(components || {}).sort().join(",");
  return useMemo(() => {
    const stable = {};
    for (const tag of tags ? tags.split(",") : []) {
      stable[tag] = (props) => latest.current[tag](props);
    }
    return stable;
  }, [tags]);
}

export function StreamMarkdown({
  children,
  cuts,
  plain,
  components,
  remarkPlugins,
  rehypePlugins,
}) {
  const { resolvedColorMode } = useContext(ColorModeContext);
  const stable = useStableComponents(components);
  const plugins = useRef(null);
  if (plugins.current === null) plugins.current = { remarkPlugins, rehypePlugins };
  const text = typeof children === "string" ? children : "";
  const segments = [];
  let previous = 0;
  for (const cut of cuts || []) {
    if (cut > previous && cut < text.length) {
      segments.push(text.slice(previous, cut));
      previous = cut;
    }
  }
  const tail = text.slice(previous);
  const shared = {
    components: stable,
    mode: resolvedColorMode,
    remarkPlugins: plugins.current.remarkPlugins,
    rehypePlugins: plugins.current.rehypePlugins,
  };
  const rendered = segments.map((segment, index) => (
    <Segment key={index} text={segment} {...shared} />
  ));
  if (plain > previous && plain <= text.length) {
    rendered.push(
      <PlainTail
        key="plain"
        plain={text.slice(previous, plain)}
        rest={text.slice(plain)}
        {...shared}
      />,
    );
  } else {
    rendered.push(<Segment key={segments.length} text={tail} {...shared} />);
  }
  return rendered;
}
