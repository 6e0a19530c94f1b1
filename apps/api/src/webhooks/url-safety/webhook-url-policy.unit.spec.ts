import { describe, expect, it } from '@jest/globals';
import { displayedUrl, webhookUrlProblem } from './webhook-url-policy.js';

const strict = { allowPrivate: false };

describe('webhook URL policy at registration', () => {
  it.each([
    'http://127.0.0.1/hooks',
    'http://0x7f000001/',
    'http://2130706433/',
    'http://127.1/',
    'http://0177.0.0.1/',
    'http://017700000001/',
    'http://0x7f.1/',
    'http://[::1]:8080/',
    'http://[::ffff:127.0.0.1]/',
    'http://[::ffff:7f00:1]/',
    'http://[::127.0.0.1]/',
    'http://0/',
    'http://0.0.0.0:3000/',
    'http://[::]/',
    'http://10.0.0.1/',
    'https://192.168.0.10/',
    'http://172.20.0.2/',
    'http://169.254.169.254/latest/meta-data/',
    'http://100.100.100.200/',
    'http://[fd00::1]/',
    'http://[fe80::1]/',
    'http://224.0.0.1/',
    'http://255.255.255.255/',
    'http://localhost:3000/',
    'http://LOCALHOST./',
    'http://api.localhost/',
  ])('refuses %s', (url) => {
    expect(webhookUrlProblem(url, strict)).toMatch(/must not point to/);
  });

  it('accepts them all with WEBHOOK_ALLOW_PRIVATE', () => {
    expect(webhookUrlProblem('http://127.0.0.1:9/hooks', { allowPrivate: true })).toBeUndefined();
    expect(webhookUrlProblem('http://[::1]/', { allowPrivate: true })).toBeUndefined();
    expect(webhookUrlProblem('http://localhost/', { allowPrivate: true })).toBeUndefined();
  });

  it('accepts public addresses and names (names are checked again at each delivery, on what they resolve to)', () => {
    for (const url of ['https://hooks.example.com/launch-control', 'http://8.8.8.8/x', 'https://[2606:4700:4700::1111]/', 'https://localhost.example.com/']) {
      expect(webhookUrlProblem(url, strict)).toBeUndefined();
    }
  });

  it('refuses credentials in the URL, whatever the address policy', () => {
    for (const policy of [strict, { allowPrivate: true }]) {
      expect(webhookUrlProblem('https://user:pass@hooks.example.com/', policy)).toMatch(/credentials/);
      expect(webhookUrlProblem('https://user@hooks.example.com/', policy)).toMatch(/credentials/);
      expect(webhookUrlProblem('https://:pass@hooks.example.com/', policy)).toMatch(/credentials/);
    }
  });

  it('never shows credentials a webhook stored before they were refused', () => {
    expect(displayedUrl('https://user:s3cret@hooks.example.com/x?y=1')).toBe('https://hooks.example.com/x?y=1');
    expect(displayedUrl('https://hooks.example.com/x')).toBe('https://hooks.example.com/x');
  });
});
