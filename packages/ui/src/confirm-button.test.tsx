import { describe, expect, it } from 'vitest';
import type { ReactElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { ConfirmButton, type ConfirmButtonProps } from './confirm-button.tsx';

type ButtonElement = ReactElement<{ children: string; onClick: () => void }>;

function props(overrides: Partial<ConfirmButtonProps> = {}) {
  const calls: string[] = [];
  const base: ConfirmButtonProps = {
    label: 'Delete',
    question: 'Delete main?',
    confirmLabel: 'Yes, delete',
    asking: false,
    onAskingChange: (asking) => calls.push(`asking ${asking}`),
    onConfirm: () => calls.push('confirm'),
    ...overrides,
  };
  return { base, calls };
}

/** The buttons the component renders, in order, without a DOM. */
function buttonsOf(element: ReactElement<{ children?: unknown }>): ButtonElement[] {
  if (element.type === 'button') return [element as ButtonElement];
  const children = element.props.children;
  return (Array.isArray(children) ? children : [children]).filter(
    (child): child is ButtonElement =>
      typeof child === 'object' && child !== null && (child as ReactElement).type === 'button',
  );
}

describe('ConfirmButton', () => {
  it('shows one danger button until it asks', () => {
    const { base, calls } = props({ small: true });
    expect(renderToStaticMarkup(<ConfirmButton {...base} />)).toBe(
      '<button type="button" class="sy-button sy-button--small sy-button--danger">Delete</button>',
    );
    buttonsOf(ConfirmButton(base))[0]?.props.onClick();
    expect(calls).toEqual(['asking true']);
  });

  it('asks inline; going ahead stops asking, then acts; keeping only stops asking', () => {
    const { base, calls } = props({ asking: true, groupLabel: 'Confirm deleting main' });
    const html = renderToStaticMarkup(<ConfirmButton {...base} />);
    expect(html).toContain(
      '<span class="sy-confirm" role="group" aria-label="Confirm deleting main">',
    );
    expect(html).toContain('Delete main?<button type="button" class="sy-button sy-button--danger"');
    expect(html).toContain('<button type="button" class="sy-button">Keep</button>');
    const [confirm, keep] = buttonsOf(ConfirmButton(base));
    expect(confirm?.props.children).toBe('Yes, delete');
    confirm?.props.onClick();
    expect(calls).toEqual(['asking false', 'confirm']);
    keep?.props.onClick();
    expect(calls).toEqual(['asking false', 'confirm', 'asking false']);
  });

  it('leaves the group unnamed without a group label', () => {
    const { base } = props({ asking: true, cancelLabel: 'Cancel' });
    const html = renderToStaticMarkup(<ConfirmButton {...base} />);
    expect(html).toContain('<span class="sy-confirm">Delete main?');
    expect(html).toContain('>Cancel</button>');
  });
});
