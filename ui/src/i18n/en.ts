const en = {
  app: {
    title: "ReelChat",
    ready: "Ready. Chat with the model to make a video.",
    version: "Version {{version}}",
    versionUnknown: "Version unavailable",
  },
} as const;

export default en;
