/** The screen's parts: header, outline, step view, dialog box, footer. Each draws lines it was given or laid out. */
import { Box, Text } from 'ink';
import { createContext, useContext } from 'react';
import { line, type Style, type StyledLine } from './lines.js';

export { formatElapsed, headerLines, outlineLines } from './frame-lines.js';

/** Whether colours are on (NO_COLOR turns them off; bold, dim and inverse stay). */
export const ColorContext = createContext(true);

function props(style: Style | undefined, color: boolean) {
  if (!style) return {};
  return {
    ...(style.bold ? { bold: true } : {}),
    ...(style.dim ? { dimColor: true } : {}),
    ...(style.italic ? { italic: true } : {}),
    ...(style.underline ? { underline: true } : {}),
    ...(style.inverse ? { inverse: true } : {}),
    ...(color && style.color ? { color: style.color } : {}),
  };
}

/** Exactly `height` rows: the lines given (cut to it), then blank rows. */
export function Lines({ lines, height, width }: { lines: StyledLine[]; height: number; width: number }) {
  const color = useContext(ColorContext);
  const rows = lines.slice(0, Math.max(0, height));
  return (
    <Box flexDirection="column" height={Math.max(0, height)} width={width} overflow="hidden">
      {rows.map((l, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows are positions on the screen
        <Text key={i} wrap="truncate-end">
          {l.length === 0 || l.every((s) => s.text === '')
            ? ' '
            : l.map((s, j) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: segments are positions in a row
                <Text key={j} {...props(s.style, color)}>
                  {s.text}
                </Text>
              ))}
        </Text>
      ))}
    </Box>
  );
}

export function Rule({ width }: { width: number }) {
  return <Lines lines={[line('─'.repeat(width), { dim: true })]} height={1} width={width} />;
}
