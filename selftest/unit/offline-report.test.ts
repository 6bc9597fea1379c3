import { describe, expect, it } from 'vitest';
import { remoteResources, withoutAnalytics } from '../../support/reporting/offline-report.ts';

// The shape of Allure Awesome's index.html (3.18): app bundle and data inline, analytics from a host.
const page = `<!DOCTYPE html><html><head><link rel="icon" href="data:image/svg+xml,%3Csvg%3E">
<link rel="stylesheet" href="data:text/css;base64,Ym9keXt9"></head><body><div id="app"></div>
    <script>
      window.allure = window.allure || {};
    </script>
    <script   src="data:text/javascript;base64,YWxlcnQoMSk="></script>
    <script async src="https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0"></script>
    <script>
        window.dataLayer = window.dataLayer || [];
        function gtag(){dataLayer.push(arguments);}
        gtag('js', new Date());
    </script>
    <script async>
      window.allureReportData = window.allureReportData || {};
    </script>
</body></html>`;

describe('withoutAnalytics', () => {
  it('removes the remote script and the inline analytics set-up, and keeps the report', () => {
    const html = withoutAnalytics(page);
    expect(html).not.toMatch(/googletagmanager|gtag|dataLayer/);
    expect(html).toContain('window.allure = window.allure || {};');
    expect(html).toContain('src="data:text/javascript;base64,YWxlcnQoMSk="');
    expect(html).toContain('window.allureReportData');
    expect(remoteResources(html)).toEqual([]);
  });
});

describe('remoteResources', () => {
  it('finds what a page would load from a host: scripts, style sheets, images, frames', () => {
    expect(remoteResources(page)).toEqual(['https://www.googletagmanager.com/gtag/js?id=G-LNDJ3J7WT0']);
    expect(remoteResources('<link rel="stylesheet" href="//fonts.example/a.css"><img src=http://x.example/p.png><iframe src="https://y.example/">'))
      .toEqual(['//fonts.example/a.css', 'http://x.example/p.png', 'https://y.example/']);
  });

  it('ignores inline data and links a reader clicks', () => {
    expect(remoteResources('<a href="https://www.rfc-editor.org/rfc/rfc6749">RFC</a><svg xmlns="http://www.w3.org/2000/svg"></svg>')).toEqual([]);
  });
});
