/**
 * Colours that say what a figure means, each with at least 3:1 contrast on white (WCAG 1.4.11):
 * work done in blue, work waiting in grey, overdue in red; outcomes from green (eliminated) through
 * grey (no change) to red (worsened). Charts also name every series in a key and a table.
 */
export const FIGURE_COLOURS = {
  discharged: '#1d70b8',
  inProcess: '#505a5f',
  overdue: '#b10e1e',
} as const;

export const OUTCOME_COLOURS: Record<string, string> = {
  eliminated: '#005a30',
  reduced: '#00703c',
  'reduced-harm': '#0b6e6e',
  'handled-better': '#1d70b8',
  'responsibility-shifted': '#4c2c92',
  displaced: '#8f4c00',
  'no-change': '#505a5f',
  worsened: '#b10e1e',
  closed: '#1d70b8',
};
