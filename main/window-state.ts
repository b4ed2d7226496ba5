// The window comes back where the user left it, if that place is still on a screen: a laptop
// unplugged from its second monitor must not open Roomy off-screen.
import { z } from 'zod';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export interface SavedWindowState {
  bounds: Required<WindowBounds>;
  maximized: boolean;
}

export interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_BOUNDS: WindowBounds = { width: 1360, height: 860 };

const whole = z.number().int().finite();
const savedState = z.strictObject({
  bounds: z.strictObject({ x: whole, y: whole, width: whole.min(200), height: whole.min(200) }),
  maximized: z.boolean(),
});

/** The saved state from the file's text, or null if it is missing or not what we wrote. */
export function parseWindowState(text: string | null): SavedWindowState | null {
  if (!text) return null;
  try {
    const parsed = savedState.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Where to open the window: the saved bounds if enough of them is on a current display. */
export function boundsToRestore(saved: SavedWindowState | null, displays: readonly DisplayArea[]): WindowBounds {
  if (!saved) return DEFAULT_BOUNDS;
  const { bounds } = saved;
  const visible = displays.some((area) => {
    const overlapWidth = Math.min(bounds.x + bounds.width, area.x + area.width) - Math.max(bounds.x, area.x);
    const overlapHeight = Math.min(bounds.y + bounds.height, area.y + area.height) - Math.max(bounds.y, area.y);
    // Enough of the title bar to grab and move it.
    return overlapWidth >= 100 && overlapHeight >= 50 && bounds.y >= area.y - 10;
  });
  if (!visible) return { width: bounds.width, height: bounds.height };
  return bounds;
}
