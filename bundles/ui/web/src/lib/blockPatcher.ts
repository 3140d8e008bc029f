// Keeps a container's children equal to a list of HTML blocks, replacing only the blocks from the first changed one.

export class BlockPatcher {
  /** The nodes each block put into the container (a block can be none, one or several top-level nodes). */
  private nodes: Node[][] = [];

  constructor(private container: HTMLElement) {}

  /** Moves the blocks into another container (which takes over from this one). */
  moveTo(container: HTMLElement): void {
    container.replaceChildren(...this.nodes.flat());
    this.container = container;
  }

  apply(html: readonly string[], firstChanged: number): void {
    const from = Math.min(firstChanged, this.nodes.length);
    for (const block of this.nodes.splice(from)) for (const node of block) node.parentNode?.removeChild(node);
    const doc = this.container.ownerDocument;
    const fragment = doc.createDocumentFragment();
    for (let i = from; i < html.length; i++) {
      // parsed in a <div>, as dangerouslySetInnerHTML on the container would parse it
      const holder = doc.createElement('div');
      holder.innerHTML = html[i]!;
      const added = Array.from(holder.childNodes);
      fragment.append(...added);
      this.nodes.push(added);
    }
    this.container.append(fragment);
  }
}
