// Inline SVG icons: no icon font, no emoji font needed on the user's machine.
import type { SVGProps } from 'react';

function Svg({ children, ...rest }: SVGProps<SVGSVGElement>) {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false" {...rest}>
      {children}
    </svg>
  );
}

export const PaperclipIcon = () => (
  <Svg>
    <path d="M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
  </Svg>
);

export const TrashIcon = () => (
  <Svg width="14" height="14">
    <path d="M3 6h18M8 6V4h8v2M19 6l-1 14H6L5 6" />
  </Svg>
);

export const PencilIcon = () => (
  <Svg width="14" height="14">
    <path d="M12 20h9M16.5 3.5a2.1 2.1 0 0 1 3 3L7 19l-4 1 1-4z" />
  </Svg>
);

export const MenuIcon = () => (
  <Svg width="18" height="18">
    <path d="M3 6h18M3 12h18M3 18h18" />
  </Svg>
);

export const CloseIcon = () => (
  <Svg width="14" height="14">
    <path d="M18 6L6 18M6 6l12 12" />
  </Svg>
);

export const AlertIcon = () => (
  <Svg width="14" height="14">
    <path d="M12 9v4M12 17h.01M10.3 3.9L1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
  </Svg>
);

export const SpinnerIcon = () => (
  <Svg width="14" height="14" className="spin">
    <path d="M21 12a9 9 0 1 1-6.2-8.6" />
  </Svg>
);

export const ArrowUpIcon = () => (
  <Svg width="16" height="16">
    <path d="M12 19V5M5 12l7-7 7 7" />
  </Svg>
);

export const BranchIcon = () => (
  <Svg>
    <circle cx="6" cy="5" r="2" />
    <circle cx="6" cy="19" r="2" />
    <circle cx="18" cy="9" r="2" />
    <path d="M6 7v10M18 11c0 4-6 3-11.5 6.5" />
  </Svg>
);

export const SlidersIcon = () => (
  <Svg>
    <path d="M4 6h10M18 6h2M4 12h4M12 12h8M4 18h12M20 18h0" />
    <circle cx="16" cy="6" r="2" />
    <circle cx="10" cy="12" r="2" />
    <circle cx="18" cy="18" r="2" />
  </Svg>
);
