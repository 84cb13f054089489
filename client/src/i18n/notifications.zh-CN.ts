// Chinese messages of the notification centre (issue 11). Spread into zh-CN.ts; notifications.en.ts has the same keys.
export const notificationsZh = {
  notifications: {
    bell: "通知",
    bellUnread: "通知，{count} 条未读",
    title: "通知",
    readAll: "全部已读",
    empty: "暂无通知",
    more: "加载更多",
    close: "关闭",
    loadFailed: "通知加载失败，请稍后重试",
    text: {
      booking_requested: "新的预约申请：{title}",
      booking_requested_confirmed: "新的预约（已自动确认）：{title}",
      booking_confirmed: "预约已确认：{title}",
      booking_rejected: "预约未被接受：{title}",
      booking_cancelled: "预约已取消：{title}",
      booking_expiring: "预约申请将于 {time} 过期：{title}",
      registration_reviewed_approved: "您的机构登记已通过审核",
      registration_reviewed_rejected: "您的机构登记未通过审核，请修改后重新提交",
    },
    expiringSoon: "12 小时内过期",
    expiringSoonHint: "未在 {time} 前确认将自动失效",
  },
};
