// The renderer's entry: providers for the component library, notifications and queries.
import '@mantine/core/styles.css';
import '@mantine/notifications/styles.css';
import './styles.css';
import {
  createTheme,
  darken,
  Input,
  luminance,
  MantineProvider,
  Modal,
  MultiSelect,
  Notification,
  Select,
  type CSSVariablesResolver,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { QueryClientProvider } from '@tanstack/react-query';
import { setNonce } from 'get-nonce';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createQueryClient } from './api/operations.js';
import { App } from './app/app.js';

const theme = createTheme({
  primaryColor: 'indigo',
  // Indigo 7 keeps white text on buttons, and links on white, above the 4.5:1 contrast of WCAG AA.
  primaryShade: { light: 7, dark: 8 },
  defaultRadius: 'sm',
  fontFamily: 'system-ui, sans-serif',
  // Transitions are skipped for people who ask their system for less motion.
  respectReducedMotion: true,
  components: {
    // A dialog opens on its first field: the focus trap picks the first element marked
    // data-autofocus, and every input carries the mark (it means nothing outside a focus trap).
    Input: Input.extend({ defaultProps: { 'data-autofocus': true } }),
    // A searchable list opens on a click or on typing, not on focus: a dialog that opens on one
    // keeps its other fields in view.
    Select: Select.extend({ defaultProps: { openOnFocus: false } }),
    MultiSelect: MultiSelect.extend({ defaultProps: { openOnFocus: false } }),
    // The close buttons are icons: they need a name for a screen reader.
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
  },
});

const contrast = (a: string, b: string) => {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (light + 0.05) / (dark + 0.05);
};

/** The colour darkened just enough to be read on the background (4.5:1, and a little to spare). */
function readableOn(color: string, background: string): string {
  for (let amount = 0; amount < 1; amount += 0.05) {
    const candidate = darken(color, amount);
    if (contrast(candidate, background) >= 4.6) return candidate;
  }
  return '#000';
}

// Mantine's greys for secondary text, and its "light" badges and alerts in the light scheme
// (shade 9 on shade 1 or 2), fall short of 4.5:1; these keep their look with enough contrast.
const readableColours: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    ...Object.fromEntries(
      Object.entries(t.colors).map(([name, shades]) => [
        `--mantine-color-${name}-light-color`,
        readableOn(shades[9], shades[2]),
      ]),
    ),
  },
  dark: { '--mantine-color-dimmed': 'var(--mantine-color-dark-1)' },
});

// The page's Content-Security-Policy admits only <style> elements carrying this load's nonce.
const styleNonce = document.querySelector<HTMLMetaElement>('meta[name="style-nonce"]')?.content ?? '';
// The modal's scroll lock adds its own <style> element: it takes the nonce from here.
setNonce(styleNonce);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    {/* Light or dark as the system is set, and following it when it changes. */}
    <MantineProvider
      theme={theme}
      defaultColorScheme="auto"
      cssVariablesResolver={readableColours}
      getStyleNonce={() => styleNonce}
    >
      <Notifications position="bottom-right" />
      <QueryClientProvider client={createQueryClient()}>
        <App />
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
