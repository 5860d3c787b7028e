/**
 * The scanner walks a flow from its start element's own connector, so the elements of a scheduled or
 * asynchronous path (`scheduledPaths`) are never walked and path rules such as MissingFaultPath pass
 * without looking. Each such path is therefore scanned as a variant of the flow whose start connects
 * straight to the path's first element. The connector is put on the `<start>` line itself, so every
 * line number stays that of the real file.
 */
export function pathVariants(xml: string): string[] {
  const start = /<start>[\s\S]*?<\/start>/.exec(xml)?.[0];
  if (!start) return [xml];
  // Set the scheduled paths aside so that what remains holds only the start's own connector, if any.
  const scheduled: string[] = [];
  const own = start.replace(
    /<scheduledPaths>[\s\S]*?<\/scheduledPaths>/g,
    (block) => `\u0000${scheduled.push(block) - 1}\u0000`
  );
  const restore = (text: string): string =>
    text.replace(/\u0000(\d+)\u0000/g, (_token, index: string) => scheduled[Number(index)]);
  const targets = scheduled
    .map((block) => /<targetReference>([^<]+)<\/targetReference>/.exec(block)?.[1])
    .filter((target): target is string => target !== undefined);
  const hasOwnConnector = /<connector>/.test(own);
  const variants = hasOwnConnector || targets.length === 0 ? [xml] : [];
  for (const target of targets) {
    const rewired = hasOwnConnector
      ? own.replace(/(<connector>\s*<targetReference>)[^<]+/, `$1${target}`)
      : own.replace("<start>", `<start><connector><targetReference>${target}</targetReference></connector>`);
    variants.push(xml.replace(start, restore(rewired)));
  }
  return variants;
}
