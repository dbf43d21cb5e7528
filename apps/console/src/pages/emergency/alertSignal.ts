// What makes a busy operator look up: a short two-tone beep (Web Audio, no sound file) and a blinking title.

let audio: AudioContext | null = null;

/** Two short beeps. Browsers allow sound only after a user gesture on the page; before that this is silent. */
export function beep(): void {
  try {
    const Ctx =
      window.AudioContext ?? (window as unknown as { webkitAudioContext?: typeof AudioContext }).webkitAudioContext;
    if (!Ctx) return;
    audio = audio ?? new Ctx();
    const ctx = audio;
    if (ctx.state === 'suspended') void ctx.resume();
    [0, 0.3].forEach((offset, i) => {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = 'square';
      osc.frequency.value = i === 0 ? 880 : 660;
      gain.gain.setValueAtTime(0.12, ctx.currentTime + offset);
      gain.gain.exponentialRampToValueAtTime(0.0001, ctx.currentTime + offset + 0.25);
      osc.connect(gain).connect(ctx.destination);
      osc.start(ctx.currentTime + offset);
      osc.stop(ctx.currentTime + offset + 0.26);
    });
  } catch {
    /* no audio on this device */
  }
}

let blink: number | null = null;
let baseTitle: string | null = null;

/** Blinks "【N 条预警】" in the tab title while `count` > 0; restores the title at 0. */
export function signalTitle(count: number): void {
  if (baseTitle === null) baseTitle = document.title;
  if (blink !== null) window.clearInterval(blink);
  blink = null;
  if (count <= 0) {
    document.title = baseTitle;
    return;
  }
  let on = true;
  const show = () => {
    document.title = on ? `【${count} 条预警】${baseTitle}` : (baseTitle ?? '');
    on = !on;
  };
  show();
  blink = window.setInterval(show, 1000);
}
