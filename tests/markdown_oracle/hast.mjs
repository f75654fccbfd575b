// Reads JSON lines {"texts": [...]} on stdin; answers one JSON line per request: for each
// text, the top-level children of the HAST tree react-markdown 10.1 builds from it
// (remark-parse + remark-gfm + remark-rehype with allowDangerousHtml), without positions
// and without the whitespace-only text nodes between blocks.
import { createInterface } from "node:readline";
import remarkGfm from "remark-gfm";
import remarkParse from "remark-parse";
import remarkRehype from "remark-rehype";
import { unified } from "unified";

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true });

const strip = (node) => {
  const { position, ...rest } = node;
  if (rest.children) rest.children = rest.children.map(strip);
  return rest;
};

const blocks = (text) => {
  const tree = processor.runSync(processor.parse(text));
  return tree.children
    .filter((node) => !(node.type === "text" && /^\s*$/.test(node.value)))
    .map(strip);
};

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { texts } = JSON.parse(line);
  process.stdout.write(JSON.stringify(texts.map(blocks)) + "\n");
});
