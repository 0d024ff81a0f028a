// Icons of the library and compare views (same stroke style as ../icons.tsx; decorative).
import { Icon, type IconProps as P } from "../icons";

export const IconGrid = (p: P) => (
  <Icon {...p}>
    <rect x="3" y="3" width="7.5" height="7.5" rx="1.5" />
    <rect x="13.5" y="3" width="7.5" height="7.5" rx="1.5" />
    <rect x="3" y="13.5" width="7.5" height="7.5" rx="1.5" />
    <rect x="13.5" y="13.5" width="7.5" height="7.5" rx="1.5" />
  </Icon>
);
export const IconCompare = (p: P) => (
  <Icon {...p}>
    <rect x="2.5" y="5" width="8" height="14" rx="1.5" />
    <rect x="13.5" y="5" width="8" height="14" rx="1.5" />
    <path d="M12 2v20" strokeDasharray="2 2.5" />
  </Icon>
);
export const IconPause = (p: P) => (
  <Icon {...p}>
    <rect x="6" y="4.5" width="4" height="15" rx="1" fill="currentColor" stroke="none" />
    <rect x="14" y="4.5" width="4" height="15" rx="1" fill="currentColor" stroke="none" />
  </Icon>
);
export const IconPlaySolid = (p: P) => (
  <Icon {...p}>
    <path d="M7 4.5v15l12-7.5z" fill="currentColor" stroke="none" />
  </Icon>
);
