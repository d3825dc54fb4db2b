// Slack draws emoji as images, so the page does too: a machine without an emoji font would show empty boxes.
// Small hand-drawn SVGs (36×36, no text, no script), one per emoji certops writes, shipped in the compiled code.

const svg = (body: string) => `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 36 36">${body}</svg>`;
const circle = (fill: string) => svg(`<circle cx="18" cy="18" r="16" fill="${fill}"/>`);
const cross = (colour: string, width: number) =>
  `<path d="M9 9L27 27M27 9L9 27" stroke="${colour}" stroke-width="${width}" stroke-linecap="round"/>`;
const hourglassFrame =
  '<path d="M8 3h20M8 33h20" stroke="#8a5a2b" stroke-width="3" stroke-linecap="round"/><path d="M10 5c0 9 8 10 8 13s-8 4-8 13h16c0-9-8-10-8-13s8-4 8-13z" fill="#dff3fb" stroke="#6f8fa0" stroke-width="1.5"/>';
const shackle = (open: boolean) =>
  `<path d="M11 17V11a7 7 0 0 1 14 0${open ? 'V8' : 'v6'}" fill="none" stroke="#99aab5" stroke-width="3.5"/>`;
const lockBody =
  '<rect x="7" y="16" width="22" height="17" rx="3" fill="#ffac33"/><circle cx="18" cy="24" r="2.5" fill="#a0651b"/>';
const gearTeeth = Array.from(
  { length: 8 },
  (_, i) => `<rect x="15" y="1" width="6" height="8" rx="1.5" fill="#66757f" transform="rotate(${i * 45} 18 18)"/>`,
).join('');

export const EMOJI_IMAGES: Record<string, string> = {
  white_check_mark: svg(
    '<rect x="2" y="2" width="32" height="32" rx="6" fill="#77b255"/><path d="M9 18l6 6 12-13" fill="none" stroke="#fff" stroke-width="4" stroke-linecap="round" stroke-linejoin="round"/>',
  ),
  heavy_check_mark: svg(
    '<path d="M6 19l8 8 16-18" fill="none" stroke="#31373d" stroke-width="5" stroke-linecap="round" stroke-linejoin="round"/>',
  ),
  x: svg(cross('#dd2e44', 6)),
  heavy_multiplication_x: svg(cross('#31373d', 5)),
  warning: svg(
    '<path d="M18 3L2 32h32z" fill="#ffcc4d" stroke="#f4900c" stroke-width="2" stroke-linejoin="round"/><path d="M18 12v10" stroke="#231f20" stroke-width="4" stroke-linecap="round"/><circle cx="18" cy="27.5" r="2.3" fill="#231f20"/>',
  ),
  red_circle: circle('#dd2e44'),
  large_orange_circle: circle('#f4900c'),
  large_yellow_circle: circle('#fdcb58'),
  large_green_circle: circle('#78b159'),
  large_blue_circle: circle('#55acee'),
  white_circle: svg('<circle cx="18" cy="18" r="15" fill="#fff" stroke="#99aab5" stroke-width="2"/>'),
  no_entry: svg(
    '<circle cx="18" cy="18" r="16" fill="#dd2e44"/><rect x="7" y="15" width="22" height="6" rx="1" fill="#fff"/>',
  ),
  no_entry_sign: svg(
    '<circle cx="18" cy="18" r="14" fill="none" stroke="#dd2e44" stroke-width="4"/><path d="M8 8l20 20" stroke="#dd2e44" stroke-width="4"/>',
  ),
  gear: svg(`${gearTeeth}<circle cx="18" cy="18" r="11" fill="#66757f"/><circle cx="18" cy="18" r="5" fill="#fff"/>`),
  wastebasket: svg(
    '<rect x="8" y="10" width="20" height="23" rx="2" fill="#99aab5"/><rect x="5" y="6" width="26" height="4" rx="1.5" fill="#66757f"/><rect x="14" y="3" width="8" height="3" rx="1" fill="#66757f"/><path d="M13 14v15M18 14v15M23 14v15" stroke="#66757f" stroke-width="2"/>',
  ),
  lock: svg(`${shackle(false)}${lockBody}`),
  unlock: svg(`${shackle(true)}${lockBody}`),
  key: svg(
    '<circle cx="11" cy="11" r="7" fill="none" stroke="#ffac33" stroke-width="4"/><path d="M16 16l16 16M25 25l-4 4M29 29l-3 3" stroke="#ffac33" stroke-width="4" stroke-linecap="round"/>',
  ),
  hourglass: svg(`${hourglassFrame}<path d="M13 29c1-3 4-4 5-4s4 1 5 4z" fill="#ffcc4d"/>`),
  hourglass_flowing_sand: svg(
    `${hourglassFrame}<path d="M12 8h12c-1 4-5 5-6 7-1-2-5-3-6-7z" fill="#ffcc4d"/><path d="M18 15v12" stroke="#ffcc4d" stroke-width="1.5"/><path d="M14 30c1-2 3-3 4-3s3 1 4 3z" fill="#ffcc4d"/>`,
  ),
  zzz: svg(
    '<path d="M4 14h10L4 26h10M17 8h8l-8 10h8M27 3h6l-6 8h6" fill="none" stroke="#5dadec" stroke-width="3" stroke-linejoin="round" stroke-linecap="round"/>',
  ),
  robot_face: svg(
    '<rect x="4" y="8" width="28" height="24" rx="5" fill="#99aab5"/><path d="M18 8V3" stroke="#66757f" stroke-width="2"/><circle cx="18" cy="3" r="2" fill="#dd2e44"/><circle cx="12" cy="18" r="3.5" fill="#fff"/><circle cx="24" cy="18" r="3.5" fill="#fff"/><rect x="11" y="25" width="14" height="3" rx="1.5" fill="#292f33"/>',
  ),
  grey_question: svg(
    '<path d="M12 12a6 6 0 1 1 9 5c-2 1.5-3 2.5-3 5v2" fill="none" stroke="#ccd6dd" stroke-width="4.5" stroke-linecap="round"/><circle cx="18" cy="30" r="2.6" fill="#ccd6dd"/>',
  ),
  arrow_forward: svg(
    '<rect x="2" y="2" width="32" height="32" rx="6" fill="#3b88c3"/><path d="M13 9l13 9-13 9z" fill="#fff"/>',
  ),
  arrows_counterclockwise: svg(
    '<rect x="2" y="2" width="32" height="32" rx="6" fill="#3b88c3"/><path d="M26 14a9 9 0 0 0-16-1M10 22a9 9 0 0 0 16 1" fill="none" stroke="#fff" stroke-width="3"/><path d="M8 8v6h6M28 28v-6h-6" fill="none" stroke="#fff" stroke-width="3"/>',
  ),
  bell: svg(
    '<path d="M18 4c-6 0-10 5-10 11v8l-3 4h26l-3-4v-8c0-6-4-11-10-11z" fill="#ffac33"/><circle cx="18" cy="30" r="3.5" fill="#ffac33"/>',
  ),
  rotating_light: svg(
    '<path d="M9 30V19a9 9 0 0 1 18 0v11z" fill="#dd2e44"/><rect x="6" y="29" width="24" height="5" rx="1.5" fill="#66757f"/><path d="M14 19a4 4 0 0 1 4-4" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round"/><path d="M4 9l4 3M32 9l-4 3M18 2v5" stroke="#ffcc4d" stroke-width="2.5" stroke-linecap="round"/>',
  ),
  octagonal_sign: svg(
    '<path d="M11 2h14l9 9v14l-9 9H11l-9-9V11z" fill="#dd2e44"/><rect x="8" y="15" width="20" height="6" rx="1" fill="#fff"/>',
  ),
  repeat: svg(
    '<rect x="2" y="2" width="32" height="32" rx="6" fill="#3b88c3"/><path d="M9 20v-5a3 3 0 0 1 3-3h14M27 16v5a3 3 0 0 1-3 3H10" fill="none" stroke="#fff" stroke-width="3"/><path d="M22 8l4 4-4 4M14 20l-4 4 4 4" fill="none" stroke="#fff" stroke-width="3"/>',
  ),
  leftwards_arrow_with_hook: svg(
    '<rect x="2" y="2" width="32" height="32" rx="6" fill="#3b88c3"/><path d="M12 14h10a5 5 0 0 1 0 10h-4" fill="none" stroke="#fff" stroke-width="3.5"/><path d="M15 9l-6 5 6 5z" fill="#fff"/>',
  ),
  arrow_right_hook: svg(
    '<rect x="2" y="2" width="32" height="32" rx="6" fill="#3b88c3"/><path d="M24 14H14a5 5 0 0 0 0 10h4" fill="none" stroke="#fff" stroke-width="3.5"/><path d="M21 9l6 5-6 5z" fill="#fff"/>',
  ),
  inbox_tray: svg(
    '<path d="M4 20l5-10h18l5 10v10H4z" fill="#99aab5"/><path d="M4 20h8l2 4h8l2-4h8" fill="none" stroke="#66757f" stroke-width="2"/><path d="M18 3v11M13 10l5 5 5-5" fill="none" stroke="#3b88c3" stroke-width="3"/>',
  ),
  bulb: svg(
    '<path d="M18 3a10 10 0 0 0-6 18c1 1 2 3 2 5h8c0-2 1-4 2-5A10 10 0 0 0 18 3z" fill="#ffd983"/><rect x="13" y="27" width="10" height="6" rx="2" fill="#99aab5"/>',
  ),
  information_source: svg(
    '<rect x="2" y="2" width="32" height="32" rx="6" fill="#3b88c3"/><circle cx="18" cy="10" r="3" fill="#fff"/><path d="M18 16v12" stroke="#fff" stroke-width="4.5" stroke-linecap="round"/>',
  ),
};

/** Emoji typed as characters (a header's ⚠️), drawn with the same images; variation selectors are dropped with them. */
export const UNICODE_EMOJI: Record<string, string> = {
  '✅': 'white_check_mark',
  '✔': 'heavy_check_mark',
  '❌': 'x',
  '✖': 'heavy_multiplication_x',
  '⚠': 'warning',
  '🔴': 'red_circle',
  '🟠': 'large_orange_circle',
  '🟡': 'large_yellow_circle',
  '🟢': 'large_green_circle',
  '🔵': 'large_blue_circle',
  '⚪': 'white_circle',
  '⛔': 'no_entry',
  '🚫': 'no_entry_sign',
  '⚙': 'gear',
  '🗑': 'wastebasket',
  '🔒': 'lock',
  '🔓': 'unlock',
  '🔑': 'key',
  '⌛': 'hourglass',
  '⏳': 'hourglass_flowing_sand',
  '💤': 'zzz',
  '🤖': 'robot_face',
  '❔': 'grey_question',
  '▶': 'arrow_forward',
  '🔄': 'arrows_counterclockwise',
  '🔔': 'bell',
  ℹ: 'information_source',
  '🛑': 'octagonal_sign',
  '🚨': 'rotating_light',
  '🔁': 'repeat',
  '↩': 'leftwards_arrow_with_hook',
  '↪': 'arrow_right_hook',
  '📥': 'inbox_tray',
  '💡': 'bulb',
};
