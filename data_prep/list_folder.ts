/**
 * The folder-of-classes layout: `root/<class>/<image>` (ORL's `s1/1.pgm`, or
 * any `class/*.jpg|png`), label = subfolder name.
 *
 * @module
 */

import { join } from "node:path";
import { type ImageList, isImageName, naturalCompare } from "./image_entry.ts";
import type { SkippedFile } from "./manifest.ts";

/**
 * Lists the images of a folder with one subfolder per class, in natural order
 * (`s2` before `s10`). Images directly in `root` are taken too, with an empty
 * class. Symbolic links are followed; an image name that is a directory or a
 * broken link is listed in `skipped`. Throws an Error when there are no images.
 *
 * @example
 * ```ts
 * const list = await listFolder("data/att_faces");
 * console.log(list.entries.length, list.entries[0].labels.class); // 400 "s1"
 * ```
 */
export async function listFolder(root: string): Promise<ImageList> {
  const entries: ImageList["entries"] = [];
  const top: Deno.DirEntry[] = [];
  try {
    for await (const e of Deno.readDir(root)) top.push(e);
  } catch (e) {
    throw new Error(`Cannot read source folder ${root}: ${e instanceof Error ? e.message : e}`);
  }
  top.sort((a, b) => naturalCompare(a.name, b.name));
  const skipped: SkippedFile[] = [];
  // An image name that is not a file is listed as skipped; symbolic links are followed.
  const isImage = async (dir: string, e: Deno.DirEntry, file: string): Promise<boolean> => {
    if (!isImageName(e.name) || e.isFile) return isImageName(e.name);
    const target = e.isSymlink ? await Deno.stat(join(dir, e.name)).catch(() => null) : e;
    if (target?.isFile) return true;
    skipped.push({
      file,
      reason: target === null
        ? `${file} is a broken symbolic link`
        : `${file} is a directory, not an image file`,
    });
    return false;
  };
  let classes = 0;
  for (const e of top) {
    if (!e.isDirectory && await isImage(root, e, e.name)) {
      entries.push({
        path: join(root, e.name),
        file: e.name,
        labels: { class: "" },
        partition: "",
      });
    }
  }
  for (const e of top) {
    if (!e.isDirectory || e.name.startsWith(".")) continue;
    const names: string[] = [];
    for await (const f of Deno.readDir(join(root, e.name))) {
      if (await isImage(join(root, e.name), f, `${e.name}/${f.name}`)) names.push(f.name);
    }
    if (names.length === 0) continue;
    classes++;
    names.sort(naturalCompare);
    for (const name of names) {
      entries.push({
        path: join(root, e.name, name),
        file: `${e.name}/${name}`,
        labels: { class: e.name },
        partition: "",
      });
    }
  }
  if (entries.length === 0) {
    throw new Error(
      `Source folder ${root} holds no images (.jpg, .jpeg, .png, .bmp, .pgm, .ppm) in it or in its subfolders; point prep at a folder with one subfolder of images per class (for .txt documents: --layout text)`,
    );
  }
  return {
    description: `folder ${root}: ${entries.length} images in ${classes} class folders`,
    entries,
    labelNames: ["class"],
    skipped,
    metaFiles: [],
  };
}
