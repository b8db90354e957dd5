/**
 * The public page's one script (served as /assets/minyi/app.js): it sends the intake and the
 * tracking forms to /api/minyi/* and shows the answer. Everything shown is set as text, never as
 * HTML. The answers' messages are bilingual ("中文 / English"); the page's language picks one.
 */
(() => {
  type Lang = 'zh' | 'en';
  const langOf = (form: HTMLElement): Lang => (form.getAttribute('data-lang') === 'en' ? 'en' : 'zh');
  const t = (lang: Lang, zh: string, en: string) => (lang === 'en' ? en : zh);
  const half = (lang: Lang, message: string) => {
    const i = message.indexOf(' / ');
    if (i < 0) return message;
    return lang === 'en' ? message.slice(i + 3) : message.slice(0, i);
  };
  const el = (tag: string, text?: string, cls?: string): HTMLElement => {
    const n = document.createElement(tag);
    if (text !== undefined) n.textContent = text;
    if (cls) n.className = cls;
    return n;
  };
  const show = (box: HTMLElement, nodes: HTMLElement[], ok: boolean) => {
    box.textContent = '';
    const wrap = el('div', undefined, ok ? 'notice ok' : 'notice');
    if (!ok) wrap.setAttribute('role', 'alert');
    nodes.forEach((n) => wrap.appendChild(n));
    box.appendChild(wrap);
    wrap.setAttribute('tabindex', '-1');
    wrap.focus();
  };
  const fields = (form: HTMLFormElement): Record<string, string | boolean> => {
    const out: Record<string, string | boolean> = {};
    Array.prototype.forEach.call(form.elements, (x: Element) => {
      const input = x as HTMLInputElement;
      if (!input.name) return;
      if (input.type === 'checkbox') out[input.name] = input.checked;
      else out[input.name] = input.value;
    });
    return out;
  };
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the API's JSON, read field by field below
  type Json = any;
  const post = async (url: string, body: unknown): Promise<{ status: number; json: Json }> => {
    const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', Accept: 'application/json' }, body: JSON.stringify(body), credentials: 'omit' });
    let json: Json = null;
    try {
      json = await res.json();
    } catch {
      json = null;
    }
    return { status: res.status, json };
  };
  const failure = (lang: Lang, r: { status: number; json: Json }) =>
    r.json && r.json.error && typeof r.json.error.message === 'string' ? half(lang, r.json.error.message) : t(lang, '提交失败，请稍后再试', 'Something went wrong; please try again later');

  const intake = document.getElementById('intake') as HTMLFormElement | null;
  if (intake) {
    const lang = langOf(intake);
    const box = document.getElementById('intake-result') as HTMLElement;
    intake.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const button = intake.querySelector('button[type=submit]') as HTMLButtonElement;
      button.disabled = true;
      try {
        const body = fields(intake);
        if (!body.name) delete body.name;
        if (!body.mobile) delete body.mobile;
        if (!body.website) delete body.website;
        const r = await post('/api/minyi/requests', body);
        if (r.status === 201 && r.json && r.json.data) {
          const d = r.json.data as { ledgerNo: string; trackingCode: string };
          const ledger = el('p', t(lang, '诉求编号：', 'Ledger number: '));
          ledger.appendChild(el('span', d.ledgerNo, 'code')).setAttribute('data-result', 'ledgerNo');
          const code = el('p', t(lang, '查询码：', 'Tracking code: '));
          code.appendChild(el('span', d.trackingCode, 'code')).setAttribute('data-result', 'trackingCode');
          const link = el('a', t(lang, '查询办理进度', 'Track it')) as HTMLAnchorElement;
          link.href = lang === 'en' ? '/track?lang=en' : '/track';
          show(box, [el('strong', t(lang, '您的诉求已登记。', 'Your demand has been recorded.')), ledger, code, el('p', t(lang, '查询码只显示这一次，请抄下或截图保存。', 'The tracking code is shown only this once: write it down or take a screenshot.')), link], true);
          intake.reset();
        } else {
          show(box, [el('p', failure(lang, r))], false);
        }
      } catch {
        show(box, [el('p', t(lang, '网络错误，请稍后再试', 'Network error; please try again later'))], false);
      } finally {
        button.disabled = false;
      }
    });
  }

  const track = document.getElementById('track') as HTMLFormElement | null;
  if (track) {
    const lang = langOf(track);
    const box = document.getElementById('track-result') as HTMLElement;
    track.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const body = fields(track);
      if (!body.code) delete body.code;
      if (!body.phoneTail) delete body.phoneTail;
      try {
        const r = await post('/api/minyi/track', body);
        if (r.status === 200 && r.json && r.json.data) {
          const d = r.json.data as { ledgerNo: string; state: string; label: { zh: string; en: string }; timeline: Array<{ day: string; label: { zh: string; en: string } }> };
          const state = el('p', t(lang, '当前状态：', 'State: '));
          const s = el('strong', t(lang, d.label.zh, d.label.en));
          s.setAttribute('data-state', d.state);
          state.appendChild(s);
          const list = el('ol', undefined, 'timeline');
          d.timeline.forEach((step) => list.appendChild(el('li', `${step.day} ${t(lang, step.label.zh, step.label.en)}`)));
          show(box, [el('p', d.ledgerNo, 'code'), state, list], true);
        } else {
          show(box, [el('p', failure(lang, r))], false);
        }
      } catch {
        show(box, [el('p', t(lang, '网络错误，请稍后再试', 'Network error; please try again later'))], false);
      }
    });
  }
})();
