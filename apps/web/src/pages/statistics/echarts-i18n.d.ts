// echarts ships its locales as UMD files without type declarations.
declare module 'echarts/i18n/langFR-obj.js' {
  const locale: Parameters<typeof import('echarts/core').registerLocale>[1];
  export default locale;
}
declare module 'echarts/i18n/langRU-obj.js' {
  const locale: Parameters<typeof import('echarts/core').registerLocale>[1];
  export default locale;
}
