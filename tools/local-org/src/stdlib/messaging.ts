// Messaging: single emails (Messaging.SingleEmailMessage, Messaging.sendEmail) and custom
// notifications (Messaging.CustomNotification). Nothing leaves the org: what a transaction sends
// is held with it (Transaction.outgoing) and lands in the outbox when it commits, for
// LocalOrg.sentEmails() and LocalOrg.sentNotifications() to read; a rollback drops it, as the
// platform sends no email of a failed transaction. An Apex test sends nothing.
import type { Loc } from "../parse/ast.js";
import { throwApex, nullPointer, unsupported } from "../runtime/errors.js";
import { LIMITS } from "../runtime/limits.js";
import { setItems, str } from "../runtime/operators.js";
import { prim } from "../runtime/types.js";
import { ApexList, ApexSet, NativeObject, type Value } from "../runtime/values.js";
import { normalizeId } from "../runtime/ids.js";
import type { Stdlib } from "./registry.js";
import type { SentEmail, SentNotification } from "./outbox.js";

/** The largest number of recipients of one custom notification. */
const MAX_NOTIFICATION_RECIPIENTS = 500;

interface EmailData extends Record<string, unknown> {
  email: Omit<SentEmail, "sentAt">;
}

interface NotificationData extends Record<string, unknown> {
  notificationTypeId: string | null;
  title: string | null;
  body: string | null;
  targetId: string | null;
  targetPageRef: string | null;
  senderId: string | null;
}

export function installMessaging(lib: Stdlib) {
  const runtime = lib.runtime;
  const data = lib.data;
  const text = (value: Value | undefined): string | null =>
    value === null || value === undefined ? null : str(runtime, value);
  const texts = (value: Value | undefined): string[] => {
    if (value === null || value === undefined) return [];
    if (value instanceof ApexList) return value.items.filter((item) => item !== null).map((item) => str(runtime, item));
    return [str(runtime, value)];
  };

  lib.nativeType("Messaging.SingleEmailMessage", () => {
    const email: EmailData["email"] = {
      targetObjectId: null,
      toAddresses: [],
      ccAddresses: [],
      bccAddresses: [],
      subject: null,
      plainTextBody: null,
      htmlBody: null,
      saveAsActivity: true
    };
    return new NativeObject("SingleEmailMessage", { email });
  });
  const email = (object: NativeObject) => (object.data as EmailData).email;
  const setter =
    <K extends keyof EmailData["email"]>(key: K, convert: (value: Value) => EmailData["email"][K]) =>
    (object: NativeObject, args: Value[]) => {
      email(object)[key] = convert(args[0]);
      return null;
    };
  const unsupportedSetter = (name: string) => (_object: NativeObject, _args: Value[], loc: Loc) =>
    unsupported(runtime, `SingleEmailMessage.${name}`, loc);
  lib.instance<NativeObject>("singleemailmessage", {
    setTargetObjectId: setter("targetObjectId", (value) => (value === null ? null : normalizeId(str(runtime, value)))),
    setToAddresses: setter("toAddresses", texts),
    setCcAddresses: setter("ccAddresses", texts),
    setBccAddresses: setter("bccAddresses", texts),
    setSubject: setter("subject", text),
    setPlainTextBody: setter("plainTextBody", text),
    setHtmlBody: setter("htmlBody", text),
    setSaveAsActivity: setter("saveAsActivity", (value) => value === true),
    getTargetObjectId: (object) => email(object).targetObjectId,
    getToAddresses: (object) => new ApexList(prim("String"), [...email(object).toAddresses]),
    getSubject: (object) => email(object).subject,
    getPlainTextBody: (object) => email(object).plainTextBody,
    getHtmlBody: (object) => email(object).htmlBody,
    setTemplateId: unsupportedSetter("setTemplateId"),
    setWhatId: unsupportedSetter("setWhatId"),
    setFileAttachments: unsupportedSetter("setFileAttachments"),
    setEntityAttachments: unsupportedSetter("setEntityAttachments"),
    setOrgWideEmailAddressId: unsupportedSetter("setOrgWideEmailAddressId")
  });

  /** The first problem that keeps the email from being sent, as a status code and message. */
  const problem = (message: EmailData["email"]): { code: string; message: string } | null => {
    const recipients = [...message.toAddresses, ...message.ccAddresses, ...message.bccAddresses];
    if (!message.targetObjectId && recipients.length === 0)
      return { code: "REQUIRED_FIELD_MISSING", message: "Add a recipient to send an email." };
    if (!message.plainTextBody && !message.htmlBody)
      return { code: "REQUIRED_FIELD_MISSING", message: "Missing body, need at least one of html or plainText body" };
    if (message.targetObjectId) {
      const target = data.findById(message.targetObjectId);
      if (!target || !["User", "Contact", "Lead"].includes(target.obj.name))
        return {
          code: "INVALID_ID_FIELD",
          message: "Invalid id specified, whoid, targetObjectId, must be a User, Contact or Lead id"
        };
      if (target.obj.name === "User" && message.saveAsActivity)
        return {
          code: "INVALID_SAVE_AS_ACTIVITY_FLAG",
          message: "saveAsActivity must be false when sending mail to users."
        };
    }
    return null;
  };

  lib.nativeType("Messaging.SendEmailResult");
  lib.instance<NativeObject>("sendemailresult", {
    isSuccess: (object) => (object.data.errors as NativeObject[]).length === 0,
    getErrors: (object) =>
      new ApexList({ kind: "native", name: "SendEmailError" }, [...(object.data.errors as NativeObject[])])
  });
  lib.nativeType("Messaging.SendEmailError");
  lib.instance<NativeObject>("sendemailerror", {
    getMessage: (object) => object.data.message as string,
    getStatusCode: (object) => lib.enumValue("StatusCode", object.data.code as string),
    getTargetObjectId: (object) => object.data.targetObjectId as string | null,
    getFields: () => new ApexList(prim("String"), [])
  });

  lib.static_("Messaging", {
    sendEmail: (args, loc) => {
      const list = args[0];
      if (list === null || list === undefined) nullPointer(runtime);
      if (!(list instanceof ApexList)) unsupported(runtime, "Messaging.sendEmail of something other than a list", loc);
      const allOrNothing = args.length < 2 || args[1] !== false;
      const limits = runtime.transaction.limits;
      if (limits.emailInvocations >= LIMITS.emailInvocations)
        throwApex(runtime, "LimitException", `Too many Email Invocations: ${LIMITS.emailInvocations + 1}`);
      limits.emailInvocations++;
      const messages = list.items.map((item) =>
        item instanceof NativeObject && item.typeName === "SingleEmailMessage"
          ? email(item)
          : unsupported(runtime, "Messaging.sendEmail of a message other than Messaging.SingleEmailMessage", loc)
      );
      if (lib.emailDeliverability !== "all")
        throwApex(
          runtime,
          "EmailException",
          "SendEmail failed. First exception on row 0; first error: NO_MASS_MAIL_PERMISSION, Single email is not enabled for your organization or profile."
        );
      const problems = messages.map(problem);
      const firstProblem = problems.findIndex((found) => found !== null);
      if (allOrNothing && firstProblem >= 0)
        throwApex(
          runtime,
          "EmailException",
          `SendEmail failed. First exception on row ${firstProblem}; first error: ${problems[firstProblem]!.code}, ${problems[firstProblem]!.message}`
        );
      const results = messages.map((message, index) => {
        const found = problems[index];
        if (!found) runtime.transaction.outgoing.push({ kind: "email", message: { ...message } });
        const errors = found
          ? [new NativeObject("SendEmailError", { ...found, targetObjectId: message.targetObjectId })]
          : [];
        return new NativeObject("SendEmailResult", { errors });
      });
      return new ApexList({ kind: "native", name: "SendEmailResult" }, results);
    }
  });

  lib.nativeType("Messaging.CustomNotification", (args) => {
    const notification: NotificationData = {
      notificationTypeId: null,
      title: null,
      body: null,
      targetId: null,
      targetPageRef: null,
      senderId: null
    };
    if (args.length > 0) {
      // (typeId, sender, title, body, targetId, targetPageRef)
      notification.notificationTypeId = text(args[0]);
      notification.senderId = text(args[1]);
      notification.title = text(args[2]);
      notification.body = text(args[3]);
      notification.targetId = text(args[4]);
      notification.targetPageRef = text(args[5]);
    }
    return new NativeObject("CustomNotification", notification);
  });
  const notification = (object: NativeObject) => object.data as NotificationData;
  const set =
    (key: keyof NotificationData) =>
    (object: NativeObject, args: Value[]): Value => {
      notification(object)[key] = text(args[0]);
      return null;
    };
  lib.instance<NativeObject>("customnotification", {
    setNotificationTypeId: set("notificationTypeId"),
    setTitle: set("title"),
    setBody: set("body"),
    setTargetId: set("targetId"),
    setTargetPageRef: set("targetPageRef"),
    setSenderId: set("senderId"),
    send: (object, args) => {
      const recipients = args[0];
      if (recipients === null || recipients === undefined) nullPointer(runtime);
      const users = recipients instanceof ApexSet ? setItems(recipients) : texts(recipients);
      const values = notification(object);
      // The platform documents that a notification needs a type, a title, a body and a target;
      // the messages here are local-org's.
      const missing = !values.notificationTypeId
        ? "a notification type (setNotificationTypeId)"
        : !values.title
          ? "a title (setTitle)"
          : !values.body
            ? "a body (setBody)"
            : !values.targetId && !values.targetPageRef
              ? "a target (setTargetId or setTargetPageRef)"
              : null;
      if (missing) throwApex(runtime, "InvalidParameterValueException", `The custom notification needs ${missing}.`);
      if (users.length === 0 || users.length > MAX_NOTIFICATION_RECIPIENTS)
        throwApex(
          runtime,
          "InvalidParameterValueException",
          `A custom notification goes to 1 to ${MAX_NOTIFICATION_RECIPIENTS} recipients, not ${users.length}.`
        );
      runtime.transaction.outgoing.push({
        kind: "notification",
        message: { ...values, recipients: users.map((user) => str(runtime, user)) }
      });
      return null;
    }
  });
}

/** The transaction committed: what it sent leaves the org. */
export function deliverOutgoing(lib: Stdlib, sentAt: string) {
  const outgoing = lib.runtime.transaction.outgoing.splice(0);
  for (const item of outgoing) {
    if (item.kind === "email") lib.outbox.emails.push({ ...(item.message as Omit<SentEmail, "sentAt">), sentAt });
    else lib.outbox.notifications.push({ ...(item.message as Omit<SentNotification, "sentAt">), sentAt });
  }
}
