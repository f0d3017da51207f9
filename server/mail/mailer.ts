import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail): Promise<void>;
}

/** Development mailer: each message becomes a file in the outbox folder, and a line in the log. */
export function outboxMailer(dir: string, clock: () => Date, log: (line: string) => void = console.log): Mailer {
  let n = 0;
  return {
    async send(mail) {
      await mkdir(dir, { recursive: true });
      n += 1;
      const name = `${clock().toISOString().replace(/[:.]/g, '-')}-${n}.txt`;
      await writeFile(join(dir, name), `To: ${mail.to}\nSubject: ${mail.subject}\n\n${mail.text}\n`, 'utf8');
      log(`outbox: mail to ${mail.to} (“${mail.subject}”) written to ${join(dir, name)}`);
    },
  };
}

/** A mailer that keeps messages in memory: for tests, which read what was sent. */
export function memoryMailer(): Mailer & { sent: Mail[] } {
  const sent: Mail[] = [];
  return { sent, async send(mail) { sent.push(mail); } };
}

/** Real delivery through an SMTP server (`SMTP_URL=smtp://user:pass@host:587`). */
export async function smtpMailer(url: string, from: string): Promise<Mailer> {
  const nodemailer = await import('nodemailer');
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text });
    },
  };
}
