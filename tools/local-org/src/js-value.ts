// Plain JavaScript values, as the API takes and returns record fields, parameters and results.
export type JsValue = null | string | number | boolean | JsValue[] | { [key: string]: JsValue };
