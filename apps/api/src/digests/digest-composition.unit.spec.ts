import { describe, expect, it } from '@jest/globals';
import { composeDigests, digestEmail, type DigestTask } from './digest-composition.js';
import { localTime, parseDigestConfig } from './digest-config.js';
import { digestDue } from './digest-schedule.js';

const TODAY = '2027-03-10';
let seq = 0;
const task = (overrides: Partial<DigestTask>): DigestTask => ({
  launchId: 'launch-a',
  launchName: 'Aurora',
  launchStatus: 'planning',
  targetDate: '2027-04-01',
  taskId: `task-${++seq}`,
  title: `Task ${seq}`,
  department: 'legal',
  dueDate: TODAY,
  status: 'open',
  ...overrides,
});

describe('composing the daily digests', () => {
  it('sorts open tasks into overdue and due within 3 days, blocked and stale by status, and leaves the rest out', () => {
    const tasks = [
      task({ title: 'late', dueDate: '2027-03-09' }),
      task({ title: 'today', dueDate: TODAY }),
      task({ title: 'in three days', dueDate: '2027-03-13' }),
      task({ title: 'in four days', dueDate: '2027-03-14' }),
      task({ title: 'blocked and late', status: 'blocked', dueDate: '2027-03-01' }),
      task({ title: 'stale', status: 'stale', dueDate: '2027-05-01' }),
      task({ title: 'done', status: 'completed', dueDate: '2027-03-01' }),
      task({ title: 'waived', status: 'waived', dueDate: '2027-03-01' }),
      task({ title: 'cancelled launch', launchStatus: 'cancelled', dueDate: '2027-03-01' }),
      task({ title: 'launched launch', launchStatus: 'launched', dueDate: '2027-03-01' }),
    ];
    const { departments, owners } = composeDigests(tasks, TODAY);
    expect(departments).toHaveLength(1);
    const [legal] = departments;
    expect(legal.department).toBe('legal');
    expect(legal.date).toBe(TODAY);
    expect(legal.overdue.map((i) => i.title)).toEqual(['late']);
    expect(legal.dueSoon.map((i) => i.title)).toEqual(['today', 'in three days']);
    expect(legal.blocked.map((i) => i.title)).toEqual(['blocked and late']);
    expect(legal.stale.map((i) => i.title)).toEqual(['stale']);
    expect(owners).toEqual([]);
  });

  it('gives each department its own digest, in catalog order, and none to a department with nothing to report', () => {
    const tasks = [
      task({ department: 'legal', dueDate: '2027-03-01' }),
      task({ department: 'sales', dueDate: '2027-03-11' }),
      task({ department: 'finance', dueDate: '2027-06-01' }),
    ];
    expect(composeDigests(tasks, TODAY).departments.map((d) => d.department)).toEqual(['sales', 'legal']);
  });

  it("groups an owner's tasks across departments and launches into one digest per e-mail address, and reads the owner defensively", () => {
    const lee = { name: 'Lee', email: 'Lee@Example.com' };
    const tasks = [
      task({ title: 'lee legal', department: 'legal', dueDate: '2027-03-09', owner: lee }),
      task({
        title: 'lee sales',
        department: 'sales',
        launchId: 'launch-b',
        launchName: 'Borealis',
        dueDate: '2027-03-11',
        owner: { ...lee, email: 'lee@example.com' },
      }),
      task({ title: 'kim', department: 'legal', status: 'blocked', owner: { name: 'Kim', email: 'kim@example.com' } }),
      task({ title: 'no owner', owner: null }),
      task({ title: 'owner without e-mail', owner: { name: 'Nobody' } }),
      task({ title: 'not an owner', owner: 'someone' }),
      task({ title: 'lee done', status: 'completed', owner: lee }),
    ];
    const { owners, departments } = composeDigests(tasks, TODAY);
    expect(owners.map((o) => o.owner)).toEqual([
      { name: 'Kim', email: 'kim@example.com' },
      { name: 'Lee', email: 'lee@example.com' },
    ]);
    const leeDigest = owners[1];
    expect(leeDigest.overdue.map((i) => i.title)).toEqual(['lee legal']);
    expect(leeDigest.dueSoon.map((i) => [i.title, i.department, i.launchName])).toEqual([['lee sales', 'sales', 'Borealis']]);
    expect(owners[0].blocked.map((i) => i.title)).toEqual(['kim']);
    // The department digests still list every task, owned or not.
    expect(departments.find((d) => d.department === 'legal')!.dueSoon.map((i) => i.title)).toEqual(['no owner', 'not an owner', 'owner without e-mail']);
  });

  it('writes an e-mail naming each section with its tasks and a dashboard link when the address is known', () => {
    const [legal] = composeDigests([task({ title: 'Sign the DPA', dueDate: '2027-03-08', launchId: 'abc' })], TODAY).departments;
    const mail = digestEmail(legal, 'https://lc.example.com/');
    expect(mail.subject).toBe('Launch Control 2027-03-10 (legal): 1 overdue');
    expect(mail.text).toContain('Overdue (1)');
    expect(mail.text).toContain('Sign the DPA [legal, open] due 2027-03-08, launch Aurora https://lc.example.com/#/launches/abc');
    expect(digestEmail(legal).text).not.toContain('http');
  });
});

describe('the daily schedule', () => {
  const config = parseDigestConfig({ DIGEST_TIME: '07:30', DIGEST_TIMEZONE: 'Europe/Berlin' });

  it('takes today and the time of day in DIGEST_TIMEZONE', () => {
    expect(localTime(new Date('2027-03-09T23:30:00Z'), 'Europe/Berlin')).toEqual({ date: '2027-03-10', minuteOfDay: 30 });
    expect(localTime(new Date('2027-03-10T06:29:00Z'), 'UTC')).toEqual({ date: '2027-03-10', minuteOfDay: 6 * 60 + 29 });
  });

  it('is due once DIGEST_TIME has passed, once a day', () => {
    expect(digestDue(new Date('2027-03-10T06:29:00Z'), config, undefined)).toBeUndefined(); // 07:29 in Berlin
    expect(digestDue(new Date('2027-03-10T06:30:00Z'), config, undefined)).toBe('2027-03-10');
    expect(digestDue(new Date('2027-03-10T20:00:00Z'), config, '2027-03-10')).toBeUndefined();
    expect(digestDue(new Date('2027-03-11T06:31:00Z'), config, '2027-03-10')).toBe('2027-03-11');
  });

  it('refuses a time or zone it cannot read, naming the variable', () => {
    expect(() => parseDigestConfig({ DIGEST_TIME: '7am' })).toThrow(/DIGEST_TIME/);
    expect(() => parseDigestConfig({ DIGEST_TIMEZONE: 'Mars/Olympus' })).toThrow(/DIGEST_TIMEZONE/);
    expect(() => parseDigestConfig({ SMTP_URL: 'http://mail' })).toThrow(/SMTP_URL/);
    expect(parseDigestConfig({})).toMatchObject({ time: { hour: 7, minute: 0 }, timezone: 'UTC', scheduled: true });
  });
});
