// What left the org: the emails and custom notifications of committed transactions (see messaging.ts).

/** An email as sent: its recipients, subject and bodies. */
export interface SentEmail {
  targetObjectId: string | null;
  toAddresses: string[];
  ccAddresses: string[];
  bccAddresses: string[];
  subject: string | null;
  plainTextBody: string | null;
  htmlBody: string | null;
  saveAsActivity: boolean;
  /** When the transaction that sent it committed, as an ISO date/time. */
  sentAt: string;
}

/** A custom notification as sent. */
export interface SentNotification {
  notificationTypeId: string;
  title: string;
  body: string;
  targetId: string | null;
  targetPageRef: string | null;
  senderId: string | null;
  recipients: string[];
  sentAt: string;
}

/** What left the org: the emails and notifications of committed transactions, oldest first. */
export class Outbox {
  readonly emails: SentEmail[] = [];
  readonly notifications: SentNotification[] = [];
}

/** Who may send email (Setup, Deliverability, Access level): All email, or System email only /
 * No access, under which Apex cannot send a single email. */
export type EmailDeliverability = "all" | "systemOnly" | "none";
