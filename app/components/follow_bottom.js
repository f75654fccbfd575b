// The message list's scroller. While the reader is at the bottom it keeps the newest
// content in view as it grows (a thread opening, an answer streaming); once they scroll
// up it stays where they put it, until they come back down, send a message (a submit of
// the form holding `composerId`) or open another thread (`thread` changes).
//
// Growth is seen by a ResizeObserver on the content, after layout and before paint, so
// following costs no extra layout and never shows a frame scrolled short.
import { createElement, useEffect, useRef } from "react";

const NEAR = 48; // px from the bottom that still count as being at the bottom

export function FollowBottom({ children, thread, composerId, ...props }) {
  const ref = useRef(null);
  const follow = useRef(null);

  useEffect(() => {
    const box = ref.current;
    if (!box) return undefined;
    let following = true;
    let lastTop = box.scrollTop;
    const distance = () => box.scrollHeight - box.scrollTop - box.clientHeight;
    const toBottom = () => {
      if (following && distance() > 0) box.scrollTop = box.scrollHeight;
      lastTop = box.scrollTop;
    };
    follow.current = () => {
      following = true;
      toBottom();
    };
    const onScroll = () => {
      const top = box.scrollTop;
      if (distance() <= NEAR) following = true;
      else if (top < lastTop) following = false; // the reader went up
      lastTop = top;
    };
    // A wheel turned up lets go at once: in a burst, growth would pull the view back
    // down before the scroll event says where the reader went.
    const onWheel = (event) => {
      if (event.deltaY < 0 && box.scrollTop > 0) following = false;
    };
    const onSubmit = (event) => {
      const form = event.target;
      if (form && form.querySelector && form.querySelector("#" + composerId)) follow.current();
    };
    const observer = new ResizeObserver(toBottom);
    observer.observe(box);
    for (const child of box.children) observer.observe(child);
    box.addEventListener("scroll", onScroll, { passive: true });
    box.addEventListener("wheel", onWheel, { passive: true });
    document.addEventListener("submit", onSubmit, true);
    return () => {
      observer.disconnect();
      box.removeEventListener("scroll", onScroll);
      box.removeEventListener("wheel", onWheel);
      document.removeEventListener("submit", onSubmit, true);
    };
  }, [composerId]);

  useEffect(() => {
    if (follow.current) follow.current();
  }, [thread]);

  return createElement("div", { ...props, ref }, children);
}
