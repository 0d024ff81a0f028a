const zhCN = {
  app: {
    title: "ReelChat",
    ready: "准备就绪。与模型聊天来制作视频。",
    version: "版本 {{version}}",
    versionUnknown: "版本信息不可用",
  },
} as const;

export default zhCN;
