// SObjectType and SObjectField tokens: one token per object and field, so tokens compare and
// hash by identity as they do on the platform.
import type { FieldDescribe, SObjectDescribe } from "../runtime/describe.js";
import { NativeObject } from "../runtime/values.js";

export class DescribeTokens {
  private readonly objects = new Map<SObjectDescribe, NativeObject>();
  private readonly fields = new Map<FieldDescribe, NativeObject>();

  objectToken(obj: SObjectDescribe): NativeObject {
    let token = this.objects.get(obj);
    if (!token) this.objects.set(obj, (token = new NativeObject("SObjectType", { obj })));
    return token;
  }

  fieldToken(obj: SObjectDescribe, field: FieldDescribe): NativeObject {
    let token = this.fields.get(field);
    if (!token) this.fields.set(field, (token = new NativeObject("SObjectField", { obj, f: field })));
    return token;
  }
}
